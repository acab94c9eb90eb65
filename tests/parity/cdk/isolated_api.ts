// The TypeScript twin of examples/isolated_api.rs (article 002), construct for construct.
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';

export function build(app: App) {
  const stack = new Stack(app, 'IsolatedApi');
  const name = stack.stackName;

  const repository = new ecr.Repository(stack, `${name}Repository}`, {
    repositoryName: 'repo-name',
    lifecycleRules: [{ tagStatus: ecr.TagStatus.ANY, maxImageCount: 3 }],
  });

  const vpc = new ec2.Vpc(stack, `${name}VPC`, {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
    natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 19 }],
    enableDnsHostnames: true,
    enableDnsSupport: true,
  });

  const securityGroup = new ec2.SecurityGroup(stack, `${name}SecurityGroup`, { vpc, securityGroupName: 'API-NLB' });
  securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(8080));
  securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
  const isolated = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  vpc.addInterfaceEndpoint(`${name}EcrDockerEndpoint`, {
    service: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER, privateDnsEnabled: true, subnets: isolated, securityGroups: [securityGroup],
  });
  vpc.addInterfaceEndpoint(`${name}EcrApiEndpoint`, {
    service: ec2.InterfaceVpcEndpointAwsService.ECR, privateDnsEnabled: true, subnets: isolated, securityGroups: [securityGroup],
  });
  vpc.addInterfaceEndpoint(`${name}CloudWatchLogsEndpoint`, {
    service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS, privateDnsEnabled: true, subnets: isolated, securityGroups: [securityGroup],
  });
  vpc.addGatewayEndpoint(`${name}S3Endpoint`, { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [isolated] });

  const nlb = new elbv2.NetworkLoadBalancer(stack, `${name}NLB`, {
    vpc, loadBalancerName: 'ApiNLB', vpcSubnets: isolated, crossZoneEnabled: true, internetFacing: false,
  });
  const targetGroup = new elbv2.NetworkTargetGroup(stack, `${name}TargetGroup`, {
    vpc, port: 8080, targetGroupName: 'ecs-tagtet-group', targetType: elbv2.TargetType.IP, deregistrationDelay: Duration.seconds(0),
  });
  nlb.addListener(`${name}Listener`, { port: 80, defaultTargetGroups: [targetGroup] });

  const taskDef = new ecs.FargateTaskDefinition(stack, `${name}TaskDefinition`, {
    cpu: 256,
    memoryLimitMiB: 512,
    executionRole: new iam.Role(stack, `${name}ExecutionRole`, {
      assumedBy: new iam.CompositePrincipal(new iam.ServicePrincipal('ecs.amazonaws.com'), new iam.ServicePrincipal('ecs-tasks.amazonaws.com')),
    }),
    taskRole: new iam.Role(stack, `${name}TaskRole`, { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }),
  });
  const container = taskDef.addContainer(`${name}Container`, {
    image: ecs.ContainerImage.fromEcrRepository(repository, 'latest'),
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'Fargate', logRetention: logs.RetentionDays.ONE_WEEK }),
  });
  container.addPortMappings({ containerPort: 8080 });

  const cluster = new ecs.Cluster(stack, `${name}Cluster`, { vpc });
  const service = new ecs.FargateService(stack, `${name}Service`, {
    cluster, taskDefinition: taskDef, securityGroups: [securityGroup], serviceName: 'ApiService',
    vpcSubnets: isolated, assignPublicIp: false, desiredCount: 1,
  });
  service.attachToNetworkTargetGroup(targetGroup);
  service.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 2 })
    .scaleOnCpuUtilization(`${name}AutoScale`, { targetUtilizationPercent: 80 });

  const vpcLink = new apigateway.VpcLink(stack, `${name}VpcLink`, {
    vpcLinkName: 'api-vpc-link', description: 'APIのNLBに接続します。', targets: [nlb],
  });
  const api = new apigateway.RestApi(stack, `${name}RestApi`, { restApiName: 'API', deployOptions: { stageName: 'development' } });
  api.root.addResource('v1').addMethod('GET', new apigateway.Integration({
    type: apigateway.IntegrationType.HTTP_PROXY,
    integrationHttpMethod: 'GET',
    uri: `http://${nlb.loadBalancerDnsName}`,
    options: { connectionType: apigateway.ConnectionType.VPC_LINK, vpcLink },
  }));
}
