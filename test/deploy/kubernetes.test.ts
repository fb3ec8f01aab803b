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
import { assertKnownCommand, assertProductionEnv, CONFIG_VARIABLES, ROOT, readDockerfile } from './support.ts';

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

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

function build(dir: string): Array<Record<string, any>> {
  const output = execFileSync('kubectl', ['kustomize', fileURLToPath(new URL(dir, ROOT))], { encoding: 'utf8' });
  const objects = YAML.parseAllDocuments(output).map((doc) => doc.toJSON() as Record<string, any>);
  for (const object of objects) {
    const Model = MODELS[`${object.apiVersion}/${object.kind}`];
    assert.ok(Model, `no schema for ${object.apiVersion} ${object.kind}`);
    new Model(object).validate();
  }
  return objects;
}

const PORT = Number(readDockerfile().env.PORT);

test('the app kustomization: 2+ replicas, probes that answer, preStop pause, resources, non-root, PDB, HPA', {
  skip,
}, async () => {
  const objects = build('deploy/kubernetes/app');
  const byKind = new Map(objects.map((object) => [object.kind, object]));
  const deployment = byKind.get('Deployment') as Record<string, any>;
  assert.ok(deployment.spec.replicas >= 2);
  assert.deepEqual(deployment.spec.strategy.rollingUpdate, { maxUnavailable: 0, maxSurge: 1 });

  const pod = deployment.spec.template.spec;
  const [container] = pod.containers;
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  assert.ok(container.resources.requests.cpu && container.resources.limits.memory);
  assert.equal(container.ports[0].containerPort, PORT);
  assert.ok(container.lifecycle.preStop.exec.command.includes('sleep'), 'a preStop pause so endpoints drain');

  const app = await buildTestApp();
  const probes = { readinessProbe: '/health/ready', livenessProbe: '/health/live' } as const;
  for (const [probe, path] of Object.entries(probes)) {
    assert.equal(container[probe].httpGet.path, path, probe);
    assert.equal((await app.inject({ method: 'GET', url: path })).statusCode, 200, `${probe} ${path}`);
  }

  // Configuration: the generated ConfigMap (hash-suffixed name) and the operator's Secret.
  const configMap = byKind.get('ConfigMap') as Record<string, any>;
  const refs = container.envFrom.map((source: Record<string, { name: string }>) => Object.values(source)[0]?.name);
  assert.deepEqual(refs, [configMap.metadata.name, 'groundwork-secrets']);
  assertProductionEnv(
    { ...configMap.data, DATABASE_URL: 'postgres://gw:secret@postgres:5432/groundwork' },
    'ConfigMap',
  );
  for (const key of Object.keys(configMap.data)) assert.ok(CONFIG_VARIABLES.has(key), key);

  const selector = deployment.spec.selector.matchLabels;
  assert.deepEqual(byKind.get('PodDisruptionBudget')?.spec.selector.matchLabels, selector);
  assert.deepEqual(byKind.get('Service')?.spec.selector, selector);
  const hpa = byKind.get('HorizontalPodAutoscaler') as Record<string, any>;
  assert.equal(hpa.spec.scaleTargetRef.name, deployment.metadata.name);
  assert.ok(hpa.spec.minReplicas >= 2);
});

test('the migrate kustomization: a one-off Job running the migration command with the Secret’s DATABASE_URL', {
  skip,
}, () => {
  const [job, ...rest] = build('deploy/kubernetes/migrate');
  assert.deepEqual(rest, []);
  assert.equal(job?.kind, 'Job');
  const pod = job?.spec.template.spec;
  assert.equal(pod.restartPolicy, 'Never');
  const [container] = pod.containers;
  assertKnownCommand(container.command, 'migrate Job');
  assert.deepEqual(container.env, [
    { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'groundwork-secrets', key: 'DATABASE_URL' } } },
  ]);
  assert.equal(pod.securityContext.runAsNonRoot, true);
});
