// The TypeScript twin of examples/nlb_static_ip.rs (article 001), construct for construct.
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';

export function build(app: App) {
  const stack = new Stack(app, 'NlbStaticIp', { env: { region: 'us-east-1' } });

  const vpcId = new CfnParameter(stack, 'VpcId', { type: 'AWS::EC2::VPC::Id', description: 'The existing VPC' });
  const subnetId = new CfnParameter(stack, 'PublicSubnetId', {
    type: 'AWS::EC2::Subnet::Id',
    description: "A public subnet of that VPC (routed to an internet gateway): the NLB's and the task's",
  });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: vpcId.valueAsString, availabilityZones: ['us-east-1a'], publicSubnetIds: [subnetId.valueAsString],
  });
  const first = vpc.publicSubnets[0];
  const allocation = new CfnParameter(stack, 'EipAllocationId', {
    type: 'String',
    description: 'Allocation ID of the Elastic IP the NLB answers on (eipalloc-...), allocated outside this stack so the address survives it',
    allowedPattern: '^eipalloc-[0-9a-f]+$',
  });

  const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', {
    vpc, loadBalancerName: 'ecs-nlb', internetFacing: true,
    subnetMappings: [{ subnet: first, allocationId: allocation.valueAsString }],
  });
  const targetGroup = new elbv2.NetworkTargetGroup(stack, 'TargetGroup', {
    vpc, port: 5000, targetGroupName: 'ecs-target-group', targetType: elbv2.TargetType.IP,
    healthCheck: { protocol: elbv2.Protocol.TCP },
  });
  nlb.addListener('Listener', { port: 5000, defaultTargetGroups: [targetGroup] });

  const repository = new ecr.Repository(stack, 'Repository', { repositoryName: 'detect-image' });
  const executionPolicy = new iam.ManagedPolicy(stack, 'ExecutionPolicy', {
    managedPolicyName: 'ecs-task-execution',
    statements: [
      new iam.PolicyStatement({
        actions: [
          'ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage',
          'logs:CreateLogStream', 'logs:PutLogEvents',
        ],
        resources: ['*'],
      }),
      new iam.PolicyStatement({ actions: ['ssm:GetParameters', 'kms:Decrypt'], resources: ['*'] }),
    ],
  });
  const executionRole = new iam.Role(stack, 'ExecutionRole', {
    roleName: 'ecs-task-execution',
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    managedPolicies: [executionPolicy],
  });
  const task = new ecs.FargateTaskDefinition(stack, 'TaskDefinition', {
    cpu: 256, memoryLimitMiB: 512, family: 'api-container', executionRole,
  });
  const container = task.addContainer('api', {
    image: ecs.ContainerImage.fromEcrRepository(repository, 'latest'),
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'api', logRetention: logs.RetentionDays.ONE_WEEK }),
  });
  container.addPortMappings({ containerPort: 5000 });

  const group = new ec2.SecurityGroup(stack, 'ServiceSecurityGroup', { vpc, securityGroupName: 'api-sg' });
  group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(5000));

  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const service = new ecs.FargateService(stack, 'Service', {
    cluster, taskDefinition: task, securityGroups: [group], vpcSubnets: { subnets: [first] },
    assignPublicIp: true, desiredCount: 1,
  });
  service.attachToNetworkTargetGroup(targetGroup);
}
