// The TypeScript twin of examples/web_service.rs, construct for construct.
import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsp from 'aws-cdk-lib/aws-ecs-patterns';
import * as rds from 'aws-cdk-lib/aws-rds';

export function build(app: App) {
  const stack = new Stack(app, 'WebService', { env: { region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2, natGateways: 1,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'App', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });

  const database = new rds.DatabaseInstance(stack, 'Database', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_13 }),
    vpc, instanceType: new ec2.InstanceType('t4g.micro'),
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    credentials: rds.Credentials.fromGeneratedSecret('app'),
    databaseName: 'app',
    allocatedStorage: 20,
    storageEncrypted: true,
  });
  const credentials = database.secret!;

  const web = new ecsp.ApplicationLoadBalancedFargateService(stack, 'Web', {
    cluster,
    taskImageOptions: {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
      containerPort: 8080,
      secrets: {
        DB_HOST: ecs.Secret.fromSecretsManager(credentials, 'host'),
        DB_USER: ecs.Secret.fromSecretsManager(credentials, 'username'),
        DB_PASSWORD: ecs.Secret.fromSecretsManager(credentials, 'password'),
      },
    },
    certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate',
      'arn:aws:acm:us-east-1:123456789012:certificate/22222222-3333-4444-5555-666666666666'),
    redirectHTTP: true,
    desiredCount: 2,
  });
  web.targetGroup.configureHealthCheck({ path: '/health' });
  web.service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 10 }).scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 70 });
  database.connections.allowDefaultPortFrom(web.service);
}
