import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface GroundworkStackProps extends StackProps {
  /** The API's host name; PUBLIC_URL is https://<domainName>. Point its DNS at the LoadBalancerDns output. */
  domainName: string;
  /** An ACM certificate for domainName, in the stack's region. */
  certificateArn: string;
  /** A pushed image; unset: deploy/Dockerfile is built from the repository at deploy time. */
  image?: string | undefined;
}

const PORT = 3000;
const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
export const MIGRATE_COMMAND = ['node', 'src/db/cli.ts', 'migrate'];

/**
 * Groundwork on AWS: ECS on Fargate behind an Application Load Balancer (https), RDS PostgreSQL,
 * ElastiCache (Valkey), an S3 bucket for uploaded files, the database password in Secrets Manager,
 * a one-off migration task, and autoscaling on CPU.
 */
export class GroundworkStack extends Stack {
  constructor(scope: Construct, id: string, props: GroundworkStackProps) {
    super(scope, id, props);

    // Load balancer in public subnets, tasks in private ones (outbound through NAT for the image and
    // the AWS APIs), database and cache in isolated ones.
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });

    // --- PostgreSQL: password generated into Secrets Manager, never in the template ----------------
    const database = new rds.DatabaseInstance(this, 'Database', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      credentials: rds.Credentials.fromGeneratedSecret('groundwork'),
      databaseName: 'groundwork',
      allocatedStorage: 20,
      maxAllocatedStorage: 100,
      storageEncrypted: true,
      // Daily snapshots kept a week, and point-in-time recovery within that window.
      backupRetention: Duration.days(7),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    const secret = database.secret;
    if (!secret) throw new Error('the database has no generated secret');

    // --- Valkey: private subnets, TLS in transit, reachable only from the service -------------------
    const cacheSecurityGroup = new ec2.SecurityGroup(this, 'CacheSecurityGroup', { vpc, allowAllOutbound: false });
    const cacheSubnets = new elasticache.CfnSubnetGroup(this, 'CacheSubnets', {
      description: 'Groundwork cache',
      subnetIds: vpc.isolatedSubnets.map((subnet) => subnet.subnetId),
    });
    const cache = new elasticache.CfnReplicationGroup(this, 'Cache', {
      replicationGroupDescription: 'Groundwork rate limits and log-in throttle',
      engine: 'valkey',
      engineVersion: '8.0',
      cacheNodeType: 'cache.t4g.micro',
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      cacheSubnetGroupName: cacheSubnets.ref,
      securityGroupIds: [cacheSecurityGroup.securityGroupId],
    });

    // --- Uploaded files: one private bucket every task sees (a task's disk is its own) ---------------
    // The tasks reach it with their role (the AWS SDK's default credential chain): no keys anywhere.
    const files = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Parts of a multipart upload cut off by a crash are never completed: the bucket drops them.
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      // Browsers PUT straight to the bucket with a presigned URL (POST /api/files/uploads).
      cors: [
        {
          allowedMethods: [s3.HttpMethods.PUT],
          allowedOrigins: [`https://${props.domainName}`],
          allowedHeaders: ['*'],
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // --- The service --------------------------------------------------------------------------------
    const image = props.image
      ? ecs.ContainerImage.fromRegistry(props.image)
      : ecs.ContainerImage.fromAsset(REPOSITORY, { file: 'deploy/Dockerfile' });
    const environment = {
      // No password here: node-postgres takes it from PGPASSWORD, which comes from Secrets Manager.
      // The connection is encrypted; verifying RDS's certificate needs its CA bundle in the image (docs/deploy.md).
      DATABASE_URL: `postgres://groundwork@${database.dbInstanceEndpointAddress}:${database.dbInstanceEndpointPort}/groundwork?sslmode=no-verify`,
      REDIS_URL: `rediss://${cache.attrPrimaryEndPointAddress}:${cache.attrPrimaryEndPointPort}`,
      MIGRATE_ON_START: 'false',
      TRUST_PROXY: 'true',
      PUBLIC_URL: `https://${props.domainName}`,
      STORAGE_DRIVER: 's3',
      S3_REGION: this.region,
      S3_BUCKET: files.bucketName,
    };
    const secrets = { PGPASSWORD: ecs.Secret.fromSecretsManager(secret, 'password') };
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

    const web = new ecsPatterns.ApplicationLoadBalancedFargateService(this, 'Service', {
      cluster,
      desiredCount: 2,
      cpu: 512,
      memoryLimitMiB: 1024,
      publicLoadBalancer: true,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
      redirectHTTP: true,
      circuitBreaker: { rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      taskImageOptions: {
        image,
        containerPort: PORT,
        environment,
        secrets,
        logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'api', logRetention: logs.RetentionDays.ONE_MONTH }),
      },
    });
    web.targetGroup.configureHealthCheck({
      path: '/health/ready',
      interval: Duration.seconds(10),
      timeout: Duration.seconds(3),
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 3,
    });
    // Out of the load balancer first; the task then gets SIGTERM and SHUTDOWN_TIMEOUT_MS to finish.
    web.targetGroup.setAttribute('deregistration_delay.timeout_seconds', '15');
    files.grantReadWrite(web.taskDefinition.taskRole);
    files.grantDelete(web.taskDefinition.taskRole);
    const scaling = web.service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 10 });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 70 });

    // --- Migrations: a one-off task, run before each rollout ----------------------------------------
    const migration = new ecs.FargateTaskDefinition(this, 'Migrate', { cpu: 256, memoryLimitMiB: 512 });
    migration.addContainer('migrate', {
      image,
      command: MIGRATE_COMMAND,
      environment: { DATABASE_URL: environment.DATABASE_URL },
      secrets,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'migrate', logRetention: logs.RetentionDays.ONE_MONTH }),
    });
    const migrationSecurityGroup = new ec2.SecurityGroup(this, 'MigrateSecurityGroup', { vpc });

    for (const peer of [web.service.connections, migrationSecurityGroup]) {
      database.connections.allowDefaultPortFrom(peer);
    }
    cacheSecurityGroup.addIngressRule(
      ec2.Peer.securityGroupId(web.service.connections.securityGroups[0]?.securityGroupId ?? ''),
      ec2.Port.tcp(6379),
    );

    const subnets = vpc.privateSubnets.map((subnet) => subnet.subnetId).join(',');
    new CfnOutput(this, 'LoadBalancerDns', { value: web.loadBalancer.loadBalancerDnsName });
    new CfnOutput(this, 'MigrateCommand', {
      description: 'Run before each rollout; wait for it to stop with exit code 0',
      value: [
        `aws ecs run-task --cluster ${cluster.clusterName} --task-definition ${migration.taskDefinitionArn}`,
        '--launch-type FARGATE',
        `--network-configuration "awsvpcConfiguration={subnets=[${subnets}],securityGroups=[${migrationSecurityGroup.securityGroupId}]}"`,
      ].join(' '),
    });
  }
}
