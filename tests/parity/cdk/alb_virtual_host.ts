// The TypeScript twin of examples/alb_virtual_host.rs (article 000), construct for construct.
// CDK has no L2 for VPC peering: the twin builds ironcdk's VpcPeeringConnection tree (the
// connection as `Resource`, the routes beside it) from L1s, as a CDK user would by hand.
import { App, CfnParameter, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** A stack in two named AZs (CDK's way of pinning them: overriding `availabilityZones`). */
class PinnedStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
  }
  get availabilityZones(): string[] {
    return ['ap-northeast-1a', 'ap-northeast-1c'];
  }
}

export function build(app: App) {
  const stack = new PinnedStack(app, 'AlbVirtualHost', { env: { region: 'ap-northeast-1' } });

  const prodVpcId = new CfnParameter(stack, 'ProdVpcId', { type: 'AWS::EC2::VPC::Id', description: 'The production VPC, where the ALB is' });
  const prodVpcCidr = new CfnParameter(stack, 'ProdVpcCidr', {
    type: 'String', description: "The production VPC's IPv4 range", allowedPattern: '^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$',
  });
  const prodRouteTable = new CfnParameter(stack, 'ProdRouteTableId', {
    type: 'String', description: 'The route table of the production subnets the ALB is in', allowedPattern: '^rtb-[0-9a-f]+$',
  });
  const listenerArn = new CfnParameter(stack, 'ProdListenerArn', {
    type: 'String', description: "The ARN of the production ALB's listener the service joins",
    allowedPattern: '^arn:aws[a-z-]*:elasticloadbalancing:.+:listener/app/.+$',
  });
  const albGroupId = new CfnParameter(stack, 'ProdAlbSecurityGroupId', {
    type: 'AWS::EC2::SecurityGroup::Id', description: "The production ALB's security group",
  });

  const prod = ec2.Vpc.fromVpcAttributes(stack, 'ProdVpc', {
    vpcId: prodVpcId.valueAsString, vpcCidrBlock: prodVpcCidr.valueAsString, availabilityZones: stack.availabilityZones,
  });
  const albGroup = ec2.SecurityGroup.fromSecurityGroupId(stack, 'ProdAlbSecurityGroup', albGroupId.valueAsString);
  const listener = elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'ProdListener', {
    listenerArn: listenerArn.valueAsString, securityGroup: albGroup,
  });

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.1.0.0/16'),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
  });

  const peering = new Construct(stack, 'ToProd');
  const connection = new ec2.CfnVPCPeeringConnection(peering, 'Resource', { vpcId: vpc.vpcId, peerVpcId: prod.vpcId });
  vpc.publicSubnets.forEach((s, i) => new ec2.CfnRoute(peering, `RequesterRoute${i + 1}`, {
    routeTableId: s.routeTable.routeTableId, destinationCidrBlock: prod.vpcCidrBlock, vpcPeeringConnectionId: connection.ref,
  }));
  new ec2.CfnRoute(peering, 'AccepterRoute1', {
    routeTableId: prodRouteTable.valueAsString, destinationCidrBlock: '10.1.0.0/16', vpcPeeringConnectionId: connection.ref,
  });

  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, clusterName: 'hoge', enableFargateCapacityProviders: true });

  const task = new ecs.FargateTaskDefinition(stack, 'TaskDefinition', { cpu: 256, memoryLimitMiB: 512 });
  const container = task.addContainer('hoge', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:stable'),
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'hoge-api', logRetention: logs.RetentionDays.ONE_WEEK }),
  });
  container.addPortMappings({ containerPort: 8080 });

  const service = new ecs.FargateService(stack, 'Service', {
    cluster, taskDefinition: task, serviceName: 'hoge-api', desiredCount: 1, assignPublicIp: true,
    capacityProviderStrategies: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
  });

  const targetGroup = new elbv2.ApplicationTargetGroup(stack, 'TargetGroup', {
    vpc: prod, port: 8080, targetGroupName: 'hoge-api-tg', targetType: elbv2.TargetType.IP, healthCheck: { path: '/' },
  });
  new elbv2.ApplicationListenerRule(stack, 'HostRule', {
    listener, priority: 10, conditions: [elbv2.ListenerCondition.hostHeaders(['hoge.example.com'])], targetGroups: [targetGroup],
  });
  service.attachToApplicationTargetGroup(targetGroup);
}
