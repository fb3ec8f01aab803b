import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EnvSchema } from '../../../src/config.ts';
import { GroundworkStack, MIGRATE_COMMAND } from '../lib/groundwork-stack.ts';

// `cdk synth` without an AWS account: the stack is environment-agnostic until deployed. The test
// builds the same stack bin/app.ts builds (image from deploy/Dockerfile) and checks the template.

const app = new App({ context: { '@aws-cdk/core:stackRelativeExports': true } });
const stack = new GroundworkStack(app, 'Groundwork', {
  domainName: 'api.example.com',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
});
const assembly = app.synth();
const template = Template.fromStack(stack);

/** Variables node-postgres reads itself (libpq's names), beside the service's own configuration. */
const DRIVER_VARIABLES = new Set(['PGPASSWORD']);

interface ContainerDefinition {
  Name: string;
  Image: unknown;
  Command?: string[];
  Environment?: Array<{ Name: string; Value: unknown }>;
  Secrets?: Array<{ Name: string; ValueFrom: unknown }>;
}

function containers(): ContainerDefinition[] {
  return Object.values(template.findResources('AWS::ECS::TaskDefinition')).flatMap(
    (resource) => resource.Properties.ContainerDefinitions,
  );
}

test('synthesises a cloud assembly with the image built from deploy/Dockerfile', () => {
  const artifact = assembly.getStackByName('Groundwork');
  assert.ok(artifact.template.Resources);
  const dockerImages = Object.values(
    JSON.parse(readFileSync(`${assembly.directory}/Groundwork.assets.json`, 'utf8')).dockerImages ?? {},
  ) as Array<{ source: { directory: string; dockerFile: string } }>;
  assert.equal(dockerImages.length, 1);
  assert.equal(dockerImages[0]?.source.dockerFile, 'deploy/Dockerfile');
});

test('Fargate service of 2+ tasks behind an https load balancer, health-checked on /health/ready, scaled on CPU', () => {
  template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 2, LaunchType: 'FARGATE' });
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTPS', Port: 443 });
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
    HealthCheckPath: '/health/ready',
    TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '15' }]),
  });
  template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10 });
  template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
    TargetTrackingScalingPolicyConfiguration: Match.objectLike({
      PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
      TargetValue: 70,
    }),
  });
});

test('RDS PostgreSQL with a generated password in Secrets Manager, ElastiCache Valkey with TLS', () => {
  template.hasResourceProperties('AWS::RDS::DBInstance', {
    Engine: 'postgres',
    StorageEncrypted: true,
    DeletionProtection: true,
  });
  template.resourceCountIs('AWS::SecretsManager::Secret', 1);
  template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
    Engine: 'valkey',
    TransitEncryptionEnabled: true,
  });
});

test('every variable the containers get is one the service (or its PostgreSQL driver) reads; secrets come from Secrets Manager', () => {
  const known = new Set(Object.keys(EnvSchema.properties));
  for (const container of containers()) {
    for (const { Name } of container.Environment ?? []) assert.ok(known.has(Name), `${container.Name} sets ${Name}`);
    for (const { Name, ValueFrom } of container.Secrets ?? []) {
      assert.ok(DRIVER_VARIABLES.has(Name), Name);
      assert.ok(JSON.stringify(ValueFrom).includes(':password::'), 'the password key of the database secret');
    }
    assert.ok(!JSON.stringify(container.Environment).includes('password'), 'no password in plain environment');
  }
});

test('a one-off migration task runs the migration command of package.json with the same image and database', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  assert.equal(MIGRATE_COMMAND.join(' '), pkg.scripts['db:migrate']);
  const [service, migrate] = [containers().find((c) => !c.Command), containers().find((c) => c.Command)];
  assert.deepEqual(migrate?.Command, MIGRATE_COMMAND);
  assert.deepEqual(migrate?.Image, service?.Image);
  const databaseUrl = (c: ContainerDefinition | undefined) =>
    c?.Environment?.find((e) => e.Name === 'DATABASE_URL')?.Value;
  assert.deepEqual(databaseUrl(migrate), databaseUrl(service));
  template.hasOutput('MigrateCommand', {});
});

test('uploaded files go to one private S3 bucket every task reads and writes with its role, no keys', () => {
  const [bucketId] = Object.keys(template.findResources('AWS::S3::Bucket'));
  assert.ok(bucketId, 'a bucket');
  template.hasResourceProperties('AWS::S3::Bucket', {
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    },
    LifecycleConfiguration: {
      Rules: [Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } })],
    },
  });
  const service = containers().find((c) => !c.Command);
  const env = Object.fromEntries((service?.Environment ?? []).map((e) => [e.Name, e.Value]));
  assert.equal(env.STORAGE_DRIVER, 's3');
  assert.deepEqual(env.S3_BUCKET, { Ref: bucketId });
  assert.ok(env.S3_REGION, 'S3_REGION is the stack’s region');
  for (const name of ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'])
    assert.ok(!(name in env), `${name}: the task role instead`);
  // The service's task role may put, get and delete objects of that bucket.
  const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
  for (const action of ['s3:PutObject', 's3:GetObject*', 's3:DeleteObject*'])
    assert.ok(policies.includes(action), action);
  assert.ok(policies.includes(bucketId));
});
