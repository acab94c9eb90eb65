// The TypeScript twin of examples/scheduled_task.rs (article 004), construct for construct.
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as logs from 'aws-cdk-lib/aws-logs';

export function build(app: App) {
  const stack = new Stack(app, 'ScheduledTask', { env: { region: 'ap-northeast-1' } });

  const repository = new ecr.Repository(stack, 'Repository', {
    repositoryName: 'scheduled-task',
    lifecycleRules: [{ tagStatus: ecr.TagStatus.ANY, maxImageCount: 3 }],
  });

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
  const privateSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

  const endpoints = new ec2.SecurityGroup(stack, 'EndpointSecurityGroup', { vpc });
  endpoints.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443));
  const services: [string, ec2.InterfaceVpcEndpointAwsService][] = [
    ['EcrDockerEndpoint', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
    ['EcrApiEndpoint', ec2.InterfaceVpcEndpointAwsService.ECR],
    ['LogsEndpoint', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
  ];
  for (const [id, service] of services) {
    vpc.addInterfaceEndpoint(id, { service, subnets: privateSubnets, securityGroups: [endpoints], open: false });
  }
  vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [privateSubnets] });

  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const task = new ecs.FargateTaskDefinition(stack, 'TaskDefinition', { cpu: 256, memoryLimitMiB: 512 });
  task.addContainer('batch', {
    image: ecs.ContainerImage.fromEcrRepository(repository, 'latest'),
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'batch', logRetention: logs.RetentionDays.ONE_WEEK }),
  });

  const rule = new events.Rule(stack, 'Every5Minutes', { schedule: events.Schedule.rate(Duration.minutes(5)) });
  rule.addTarget(new targets.EcsTask({ cluster, taskDefinition: task, subnetSelection: privateSubnets }));
}
