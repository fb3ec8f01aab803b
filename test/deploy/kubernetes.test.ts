import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import YAML from 'yaml';
import { buildTestApp } from '../helpers/app.ts';
import {
  assertFilesInBucket,
  assertKnownCommand,
  assertProductionEnv,
  CONFIG_VARIABLES,
  ROOT,
  readDockerfile,
} from './support.ts';

// The manifests as a cluster would receive them: built by kustomize (kubectl's, as `kubectl apply -k`
// builds them), each object validated against the Kubernetes API schema by kubernetes-models.

const kubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skip = kubectl ? false : 'kubectl (with its built-in kustomize) is not installed';

const MODELS = { ConfigMap, Service, Deployment, HorizontalPodAutoscaler, Job, PodDisruptionBudget };
type Model = InstanceType<(typeof MODELS)[keyof typeof MODELS]>;

/** Builds a kustomization and validates each object against the Kubernetes API schema of its kind. */
function build(dir: string): Model[] {
  const output = execFileSync('kubectl', ['kustomize', fileURLToPath(new URL(dir, ROOT))], { encoding: 'utf8' });
  return YAML.parseAllDocuments(output).map((doc) => {
    const object = doc.toJSON() as { apiVersion: string; kind: keyof typeof MODELS };
    const Kind = MODELS[object.kind];
    assert.ok(Kind, `no schema for ${object.apiVersion} ${object.kind}`);
    const model = new Kind(object as never);
    assert.equal(
      model.apiVersion,
      object.apiVersion,
      `${object.kind} is ${model.apiVersion}, not ${object.apiVersion}`,
    );
    model.validate();
    return model;
  });
}

function only<K extends keyof typeof MODELS>(objects: Model[], kind: K): InstanceType<(typeof MODELS)[K]> {
  const found = objects.filter((object) => object instanceof MODELS[kind]);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0] as InstanceType<(typeof MODELS)[K]>;
}

const PORT = Number(readDockerfile().env.PORT);

test('the app kustomization: 2+ replicas, probes that answer, preStop pause, resources, non-root, PDB, HPA', {
  skip,
}, async () => {
  const objects = build('deploy/kubernetes/app');
  const deployment = only(objects, 'Deployment');
  assert.ok((deployment.spec?.replicas ?? 0) >= 2);
  assert.deepEqual(deployment.spec?.strategy?.rollingUpdate, { maxUnavailable: 0, maxSurge: 1 });

  const pod = deployment.spec?.template.spec;
  const container = pod?.containers[0];
  assert.ok(pod && container);
  assert.equal(pod.securityContext?.runAsNonRoot, true);
  assert.equal(container.securityContext?.allowPrivilegeEscalation, false);
  assert.equal(container.securityContext?.readOnlyRootFilesystem, true);
  assert.ok(container.resources?.requests?.cpu && container.resources.limits?.memory);
  assert.equal(container.ports?.[0]?.containerPort, PORT);
  const preStop = container.lifecycle?.preStop?.exec?.command;
  assert.equal(preStop?.[0], 'sleep', 'a preStop pause so endpoints drain');
  // The grace period covers the pause and then the service's own shutdown bound.
  const shutdownTimeoutMs = Number(only(objects, 'ConfigMap').data?.SHUTDOWN_TIMEOUT_MS ?? 10_000);
  assert.ok((pod.terminationGracePeriodSeconds ?? 30) * 1000 > Number(preStop[1]) * 1000 + shutdownTimeoutMs);

  const app = await buildTestApp();
  const probes = [
    [container.readinessProbe, '/health/ready'],
    [container.livenessProbe, '/health/live'],
  ] as const;
  for (const [probe, path] of probes) {
    assert.equal(probe?.httpGet?.path, path);
    assert.equal((await app.inject({ method: 'GET', url: path })).statusCode, 200, path);
  }

  // Configuration: the generated ConfigMap (hash-suffixed name) and the operator's Secret.
  const configMap = only(objects, 'ConfigMap');
  const refs = container.envFrom?.map((source) => source.configMapRef?.name ?? source.secretRef?.name);
  assert.deepEqual(refs, [configMap.metadata?.name, 'groundwork-secrets']);
  const config = assertProductionEnv(
    { ...configMap.data, DATABASE_URL: 'postgres://gw:secret@postgres:5432/groundwork' },
    'ConfigMap',
  );
  // Replicas share no disk: files in a bucket (its keys, if any, in the Secret).
  assertFilesInBucket(config, 'ConfigMap');
  for (const key of Object.keys(configMap.data ?? {})) assert.ok(CONFIG_VARIABLES.has(key), key);

  const selector = deployment.spec?.selector.matchLabels;
  assert.deepEqual(only(objects, 'PodDisruptionBudget').spec?.selector?.matchLabels, selector);
  assert.deepEqual(only(objects, 'Service').spec?.selector, selector);
  const hpa = only(objects, 'HorizontalPodAutoscaler');
  assert.equal(hpa.spec?.scaleTargetRef.name, deployment.metadata?.name);
  assert.ok((hpa.spec?.minReplicas ?? 0) >= 2);
});

test('the migrate kustomization: a one-off Job running the migration command with the Secret’s DATABASE_URL', {
  skip,
}, () => {
  const objects = build('deploy/kubernetes/migrate');
  assert.equal(objects.length, 1);
  const pod = only(objects, 'Job').spec?.template.spec;
  const container = pod?.containers[0];
  assert.ok(pod && container?.command);
  assert.equal(pod.restartPolicy, 'Never');
  assertKnownCommand(container.command, 'migrate Job');
  assert.deepEqual(container.env, [
    { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'groundwork-secrets', key: 'DATABASE_URL' } } },
  ]);
  assert.equal(pod.securityContext?.runAsNonRoot, true);
});
