// The TypeScript twin of examples/shared_endpoints.rs (article 003), construct for construct.
// CDK has no L2 for VPC peering: the twin builds ironcdk's VpcPeeringConnection tree (the
// connection as `Resource`, the routes beside it) from L1s, as a CDK user would by hand.
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

const REGION = 'ap-northeast-1';
const SERVICES: [string, ec2.InterfaceVpcEndpointAwsService, string][] = [
  ['EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER, 'dkr.ecr'],
  ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR, 'api.ecr'],
  ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS, 'logs'],
  ['Ssm', ec2.InterfaceVpcEndpointAwsService.SSM, 'ssm'],
  ['SsmMessages', ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES, 'ssmmessages'],
  ['Ec2Messages', ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES, 'ec2messages'],
];
const ENVIRONMENTS: [string, string][] = [['Dev', '10.1.0.0/16'], ['Stg', '10.2.0.0/16'], ['Prd', '10.3.0.0/16']];

function isolatedVpc(stack: Stack, cidr: string): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
}

export function build(app: App) {
  const env = { region: REGION };
  const sharedStack = new Stack(app, 'SharedNetwork', { env });
  const shared = isolatedVpc(sharedStack, '10.0.0.0/16');
  const endpointGroup = new ec2.SecurityGroup(sharedStack, 'EndpointSecurityGroup', { vpc: shared });
  for (const [name, cidr] of ENVIRONMENTS) {
    endpointGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), `HTTPS from ${name}`);
  }
  endpointGroup.addIngressRule(endpointGroup, ec2.Port.tcp(443), 'HTTPS from the shared VPC');
  const endpoints: [string, ec2.InterfaceVpcEndpoint, string][] = [];
  for (const [id, service, domain] of SERVICES) {
    const endpoint = shared.addInterfaceEndpoint(`${id}Endpoint`, {
      service, privateDnsEnabled: false, securityGroups: [endpointGroup], open: false,
    });
    endpoints.push([id, endpoint, domain]);
  }

  const envVpcs: ec2.Vpc[] = [];
  for (const [name, cidr] of ENVIRONMENTS) {
    const stack = new Stack(app, name, { env });
    const vpc = isolatedVpc(stack, cidr);
    const peering = new Construct(stack, 'SharedPeering');
    const connection = new ec2.CfnVPCPeeringConnection(peering, 'Resource', { vpcId: vpc.vpcId, peerVpcId: shared.vpcId });
    vpc.isolatedSubnets.forEach((s, i) => new ec2.CfnRoute(peering, `RequesterRoute${i + 1}`, {
      routeTableId: s.routeTable.routeTableId, destinationCidrBlock: '10.0.0.0/16', vpcPeeringConnectionId: connection.ref,
    }));
    shared.isolatedSubnets.forEach((s, i) => new ec2.CfnRoute(peering, `AccepterRoute${i + 1}`, {
      routeTableId: s.routeTable.routeTableId, destinationCidrBlock: cidr, vpcPeeringConnectionId: connection.ref,
    }));
    envVpcs.push(vpc);
  }

  const dns = new Stack(app, 'EndpointDns', { env });
  for (const [id, endpoint, domain] of endpoints) {
    const [first, ...rest] = envVpcs;
    const zone = new route53.PrivateHostedZone(dns, `${id}Zone`, { zoneName: `${domain}.${REGION}.amazonaws.com`, vpc: first });
    rest.forEach((v) => zone.addVpc(v));
    const target = route53.RecordTarget.fromAlias(new targets.InterfaceVpcEndpointTarget(endpoint));
    new route53.ARecord(zone, 'Apex', { zone, target });
    new route53.ARecord(zone, 'Wildcard', { zone, recordName: '*', target });
  }
}
