// The CDK side of the random parity test (tests/cdk_parity_random.rs): builds one stack per
// configuration of the JSON file IRONCDK_PARITY_CONFIGS names, with aws-cdk-lib's L2s, as the
// Rust side builds them with ironcdk's. A configuration CDK refuses is written to
// `<outdir>/refused.json` with CDK's message instead of failing the run.
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsp from 'aws-cdk-lib/aws-ecs-patterns';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sm from 'aws-cdk-lib/aws-secretsmanager';
import * as logs from 'aws-cdk-lib/aws-logs';

const SUBNET_TYPES: Record<string, ec2.SubnetType> = {
  Public: ec2.SubnetType.PUBLIC,
  PrivateWithEgress: ec2.SubnetType.PRIVATE_WITH_EGRESS,
  PrivateIsolated: ec2.SubnetType.PRIVATE_ISOLATED,
};
const TAG_STATUS: Record<string, ecr.TagStatus> = { Any: ecr.TagStatus.ANY, Tagged: ecr.TagStatus.TAGGED, Untagged: ecr.TagStatus.UNTAGGED };
const REMOVAL: Record<string, RemovalPolicy> = { Retain: RemovalPolicy.RETAIN, Destroy: RemovalPolicy.DESTROY };

function port(p: any): ec2.Port {
  if (p.tcp !== undefined) return ec2.Port.tcp(p.tcp);
  if (p.udp !== undefined) return ec2.Port.udp(p.udp);
  if (p.tcpRange !== undefined) return ec2.Port.tcpRange(p.tcpRange[0], p.tcpRange[1]);
  if (p.allTcp) return ec2.Port.allTcp();
  return ec2.Port.allTraffic();
}

function peer(p: any, vpc: ec2.Vpc): ec2.IPeer {
  if (p.ipv4 !== undefined) return ec2.Peer.ipv4(p.ipv4);
  if (p.vpc) return ec2.Peer.ipv4(vpc.vpcCidrBlock);
  return ec2.Peer.anyIpv4();
}

function buildStack(app: App, c: any) {
  const stack = new Stack(app, c.name, c.region ? { env: { region: c.region } } : {});
  const grantees: Record<string, iam.IGrantable> = {};
  const tables: Record<string, dynamodb.Table> = {};
  const rules: [events.Rule, number][] = [];
  const v = c.vpc;
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(v.cidr),
    maxAzs: v.maxAzs,
    natGateways: v.natGateways,
    subnetConfiguration: v.defaultSubnets ? undefined : v.subnets.map((s: any) => ({ name: s.name, subnetType: SUBNET_TYPES[s.type], cidrMask: s.cidrMask })),
    enableDnsHostnames: v.dnsHostnames,
    enableDnsSupport: v.dnsSupport,
  });
  for (const g of c.securityGroups) {
    const sg = new ec2.SecurityGroup(stack, g.id, {
      vpc,
      ...(g.description !== null ? { description: g.description } : {}),
      ...(g.name !== null ? { securityGroupName: g.name } : {}),
      allowAllOutbound: g.allowAllOutbound,
    });
    for (const r of g.rules) {
      const args: [ec2.IPeer, ec2.Port, string?] = [peer(r.peer, vpc), port(r.port)];
      if (r.description !== null) args.push(r.description);
      if (r.dir === 'in') sg.addIngressRule(...args);
      else sg.addEgressRule(...args);
    }
  }
  for (const l of c.logGroups) {
    new logs.LogGroup(stack, l.id, {
      ...(l.name !== null ? { logGroupName: l.name } : {}),
      ...(l.retentionDays !== null ? { retention: l.retentionDays as logs.RetentionDays } : {}),
      ...(l.removal !== null ? { removalPolicy: REMOVAL[l.removal] } : {}),
    });
  }
  for (const r of c.repositories) {
    new ecr.Repository(stack, r.id, {
      ...(r.name !== null ? { repositoryName: r.name } : {}),
      ...(r.scanOnPush !== null ? { imageScanOnPush: r.scanOnPush } : {}),
      ...(r.removal !== null ? { removalPolicy: REMOVAL[r.removal] } : {}),
      lifecycleRules: r.lifecycle.map((l: any) => ({
        tagStatus: TAG_STATUS[l.tagStatus],
        ...(l.maxImageCount !== undefined ? { maxImageCount: l.maxImageCount } : {}),
        ...(l.maxImageAgeDays !== undefined ? { maxImageAge: Duration.days(l.maxImageAgeDays) } : {}),
        ...(l.tagPrefixList !== undefined ? { tagPrefixList: l.tagPrefixList } : {}),
        ...(l.description !== undefined ? { description: l.description } : {}),
      })),
    });
  }
  for (const r of c.roles) {
    const role = grantees[r.id] = new iam.Role(stack, r.id, {
      assumedBy: new iam.ServicePrincipal(r.service),
      managedPolicies: r.managed.map((m: string) => iam.ManagedPolicy.fromAwsManagedPolicyName(m)),
      ...(r.description !== null ? { description: r.description } : {}),
    });
    for (const s of r.statements) {
      role.addToPolicy(new iam.PolicyStatement({ actions: s.actions, resources: s.resources }));
    }
  }
  for (const r of c.rules) {
    const when = r.pattern !== undefined
      ? { eventPattern: {
          source: r.pattern.source,
          ...(r.pattern.detailType !== null ? { detailType: r.pattern.detailType } : {}),
          ...(r.pattern.detail !== null ? { detail: r.pattern.detail } : {}),
        } }
      : { schedule: r.rateMinutes !== undefined
        ? events.Schedule.rate(Duration.minutes(r.rateMinutes))
        : events.Schedule.expression(`cron(${r.cron})`) };
    rules.push([new events.Rule(stack, r.id, { ...when, ...(r.description !== null ? { description: r.description } : {}) }), r.lambdaTargets]);
  }
  for (const e of c.interfaceEndpoints) {
    vpc.addInterfaceEndpoint(e.id, {
      service: new ec2.InterfaceVpcEndpointAwsService(e.service),
      privateDnsEnabled: e.privateDns,
      open: e.open,
    });
  }
  if (c.aurora) {
    const a = c.aurora;
    const engine = a.engine === 'V3_08_0'
      ? rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_0 })
      : rds.DatabaseClusterEngine.auroraPostgres({ version: ({ V16_13: rds.AuroraPostgresEngineVersion.VER_16_13, V15_10: rds.AuroraPostgresEngineVersion.VER_15_10, V15_17: rds.AuroraPostgresEngineVersion.VER_15_17, V17_9: rds.AuroraPostgresEngineVersion.VER_17_9 } as any)[a.engine] });
    const writer = a.writer !== null ? rds.ClusterInstance.provisioned('writer', { instanceType: new ec2.InstanceType(a.writer) }) : rds.ClusterInstance.serverlessV2('writer');
    const readers = a.readers.map((r: any) => r.class !== null
      ? rds.ClusterInstance.provisioned(r.id, { instanceType: new ec2.InstanceType(r.class) })
      : rds.ClusterInstance.serverlessV2(r.id, { scaleWithWriter: r.scale }));
    new rds.DatabaseCluster(stack, 'Aurora', {
      engine, vpc, writer, readers,
      ...(a.subnetType !== null ? { vpcSubnets: { subnetType: SUBNET_TYPES[a.subnetType] } } : {}),
      ...(a.min !== null ? { serverlessV2MinCapacity: a.min } : {}),
      ...(a.max !== null ? { serverlessV2MaxCapacity: a.max } : {}),
      ...(a.dbName !== null ? { defaultDatabaseName: a.dbName } : {}),
      ...(a.encrypted !== null ? { storageEncrypted: a.encrypted } : {}),
      ...(a.credentials === 'generated' ? { credentials: rds.Credentials.fromGeneratedSecret(a.engine === 'V3_08_0' ? 'admin' : 'postgres') } : {}),
      ...(a.removal !== null ? { removalPolicy: REMOVAL[a.removal] } : {}),
      ...(a.params ? { parameters: a.engine === 'V3_08_0' ? { require_secure_transport: 'ON' } : { 'rds.force_ssl': '1', log_statement: 'ddl' } } : {}),
    });
  }
  let db: rds.DatabaseInstance | undefined;
  if (c.database) {
    const d = c.database;
    const engine = d.engine === 'postgres'
      ? rds.DatabaseInstanceEngine.postgres({ version: ({ V17_9: rds.PostgresEngineVersion.VER_17_9, V15_17: rds.PostgresEngineVersion.VER_15_17 } as any)[d.version] ?? rds.PostgresEngineVersion.VER_16_13 })
      : rds.DatabaseInstanceEngine.mysql({ version: d.version === 'V8_4_10' ? rds.MysqlEngineVersion.VER_8_4_10 : rds.MysqlEngineVersion.VER_8_0_46 });
    db = new rds.DatabaseInstance(stack, 'Database', {
      engine, vpc, instanceType: new ec2.InstanceType(d.class),
      ...(d.subnetType !== null ? { vpcSubnets: { subnetType: SUBNET_TYPES[d.subnetType] } } : {}),
      ...(d.credentials === 'generated' ? { credentials: rds.Credentials.fromGeneratedSecret(d.username ?? (d.engine === 'postgres' ? 'postgres' : 'admin')) } : {}),
      ...(d.credentials === 'username' ? { credentials: rds.Credentials.fromUsername(d.username ?? (d.engine === 'postgres' ? 'postgres' : 'admin')) } : {}),
      ...(d.storage !== null ? { allocatedStorage: d.storage } : {}),
      ...(d.storageType !== null ? { storageType: d.storageType === 'gp3' ? rds.StorageType.GP3 : rds.StorageType.GP2 } : {}),
      ...(d.encrypted !== null ? { storageEncrypted: d.encrypted } : {}),
      ...(d.multiAz !== null ? { multiAz: d.multiAz } : {}),
      ...(d.backup !== null ? { backupRetention: Duration.days(d.backup) } : {}),
      ...(d.protection !== null ? { deletionProtection: d.protection } : {}),
      ...(d.dbName !== null ? { databaseName: d.dbName } : {}),
      ...(d.port !== null ? { port: d.port } : {}),
      ...(d.removal !== null ? { removalPolicy: REMOVAL[d.removal] } : {}),
      ...(d.params ? { parameters: d.engine === 'postgres' ? { 'rds.force_ssl': '1', log_statement: 'ddl' } : { require_secure_transport: 'ON' } } : {}),
    });
  }
  if (c.ecs) {
    const e = c.ecs;
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, ...(e.containerInsights !== null ? { containerInsights: e.containerInsights } : {}) });
    const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: e.cpu, memoryLimitMiB: e.memory });
    let appSecret: ecs.Secret | undefined;
    if (e.secret) {
      const secret = new sm.Secret(stack, 'AppSecret', {
        generateSecretString: e.secret.field ? { secretStringTemplate: JSON.stringify({ username: 'app' }), generateStringKey: 'password' } : {},
      });
      appSecret = e.secret.field ? ecs.Secret.fromSecretsManager(secret, 'password') : ecs.Secret.fromSecretsManager(secret);
    }
    const secrets: Record<string, ecs.Secret> = {};
    if (appSecret) secrets.DB_PASSWORD = appSecret;
    if (e.ssmSecret) {
      const name = e.ssmSecret.path ? '/app/api-key' : 'api-key';
      const param = e.ssmSecret.secure
        ? ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'ApiKey', { parameterName: name })
        : ssm.StringParameter.fromStringParameterName(stack, 'ApiKey', name);
      secrets.API_KEY = ecs.Secret.fromSsmParameter(param);
    }
    const container = task.addContainer('app', {
      image: ecs.ContainerImage.fromRegistry(e.image),
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app', logRetention: logs.RetentionDays.ONE_WEEK }),
      ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
      ...(e.ops && e.ops.health ? { healthCheck: {
        command: e.ops.health.shell ? ['curl -f http://localhost/ || exit 1'] : ['CMD', '/bin/check'],
        ...(e.ops.health.interval !== null ? { interval: Duration.seconds(e.ops.health.interval) } : {}),
        ...(e.ops.health.retries !== null ? { retries: e.ops.health.retries } : {}),
        ...(e.ops.health.timeout !== null ? { timeout: Duration.seconds(e.ops.health.timeout) } : {}),
        ...(e.ops.health.start !== null ? { startPeriod: Duration.seconds(e.ops.health.start) } : {}),
      } } : {}),
    });
    container.addPortMappings({ containerPort: e.port });
    const service = new ecs.FargateService(stack, 'Service', {
      cluster, taskDefinition: task, assignPublicIp: e.publicIp,
      ...(e.subnetType !== null ? { vpcSubnets: { subnetType: SUBNET_TYPES[e.subnetType] } } : {}),
      ...(e.desiredCount !== null ? { desiredCount: e.desiredCount } : {}),
      ...(e.minHealthyPercent !== null ? { minHealthyPercent: e.minHealthyPercent } : {}),
      ...(e.grace !== null ? { healthCheckGracePeriod: Duration.seconds(e.grace) } : {}),
      ...(e.ops && e.ops.breaker !== null ? { circuitBreaker: { rollback: e.ops.breaker } } : {}),
      ...(e.ops && e.ops.exec !== null ? { enableExecuteCommand: e.ops.exec } : {}),
    });
    if (db) {
      db.connections.allowDefaultPortFrom(service);
    }
    if (e.allowVpc) {
      service.connections.allowFrom(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(e.port));
    }
    if (e.nlb) {
      const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', {
        vpc, internetFacing: e.nlb.internetFacing, crossZoneEnabled: e.nlb.crossZone,
        ...(e.nlb.subnetType !== null ? { vpcSubnets: { subnetType: SUBNET_TYPES[e.nlb.subnetType] } } : {}),
      });
      const tg = new elbv2.NetworkTargetGroup(stack, 'Targets', { vpc, port: e.port, targetType: elbv2.TargetType.IP });
      nlb.addListener('Listener', { port: e.nlb.listenerPort, defaultTargetGroups: [tg] });
      service.attachToNetworkTargetGroup(tg);
    }
    if (e.web) {
      const w = e.web;
      const lb = new elbv2.ApplicationLoadBalancer(stack, 'Web', {
        vpc, internetFacing: w.internetFacing, deletionProtection: w.deletionProtection,
        ...(w.subnetType !== null ? { vpcSubnets: { subnetType: SUBNET_TYPES[w.subnetType] } } : {}),
        ...(w.idleTimeout !== null ? { idleTimeout: Duration.seconds(w.idleTimeout) } : {}),
      });
      if (w.accessLogs) {
        const al = w.accessLogs;
        const logs = new s3.Bucket(stack, 'WebLogs', al.encryption === 'default' ? {} : {
          encryption: al.encryption === 'S3' ? s3.BucketEncryption.S3_MANAGED : al.encryption === 'KMS_OWN' ? s3.BucketEncryption.KMS : s3.BucketEncryption.KMS_MANAGED,
        });
        lb.logAccessLogs(logs, al.prefix ?? undefined);
      }
      const tg = new elbv2.ApplicationTargetGroup(stack, 'WebTargets', {
        vpc, port: e.port, targetType: elbv2.TargetType.IP,
        ...([80, 8080].includes(e.port) ? {} : { protocol: elbv2.ApplicationProtocol.HTTP }),
        ...(w.healthPath !== null ? { healthCheck: { path: w.healthPath } } : {}),
      });
      const fixed = (f: any) => elbv2.ListenerAction.fixedResponse(f.status, {
        ...(f.contentType !== null && f.contentType !== undefined ? { contentType: f.contentType } : {}),
        ...(f.body !== null && f.body !== undefined ? { messageBody: f.body } : {}),
      });
      const d = w.default;
      const defaultAction = d.forward ? elbv2.ListenerAction.forward([tg])
        : d.fixed ? fixed(d.fixed)
        : elbv2.ListenerAction.redirect({
          permanent: d.redirect.permanent,
          ...(d.redirect.host !== null ? { host: d.redirect.host } : {}),
          ...(d.redirect.path !== null ? { path: d.redirect.path } : {}),
        });
      const listener = lb.addListener('Listener', {
        port: w.port, open: w.open, defaultAction,
        ...(w.certificates.length > 0 ? { certificates: w.certificates.map((a: string) => elbv2.ListenerCertificate.fromArn(a)) } : {}),
      });
      if (w.redirect) {
        lb.addRedirect();
      }
      if (w.dns) {
        const d = w.dns;
        const zone = new route53.PublicHostedZone(stack, 'PublicZone', { zoneName: d.zone, ...(d.comment !== null ? { comment: d.comment } : {}) });
        new route53.ARecord(stack, 'WebAlias', { zone, target: route53.RecordTarget.fromAlias(new route53targets.LoadBalancerTarget(lb)), ...(d.record !== null ? { recordName: d.record } : {}) });
        if (d.cert) {
          const validation = d.cert.validation === 'zone' ? acm.CertificateValidation.fromDns(zone)
            : d.cert.validation === 'dns' ? acm.CertificateValidation.fromDns() : acm.CertificateValidation.fromEmail();
          const cert = new acm.Certificate(stack, 'WebCert', {
            domainName: `www.${d.zone}`, validation,
            ...(d.cert.sans ? { subjectAlternativeNames: [`api.${d.zone}`] } : {}),
            ...(d.cert.name !== null ? { certificateName: d.cert.name } : {}),
          });
          lb.addListener('Tls', { port: 8443, certificates: [elbv2.ListenerCertificate.fromCertificateManager(cert)], defaultAction: elbv2.ListenerAction.fixedResponse(404) });
        }
        if (d.imported) {
          const imported = route53.HostedZone.fromHostedZoneAttributes(stack, 'OtherZone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.org' });
          new route53.ARecord(stack, 'OtherAlias', { zone: imported, target: route53.RecordTarget.fromAlias(new route53targets.LoadBalancerTarget(lb)) });
        }
      }
      for (const r of w.rules) {
        const condition = r.condition.hosts ? elbv2.ListenerCondition.hostHeaders(r.condition.hosts) : elbv2.ListenerCondition.pathPatterns(r.condition.paths);
        if (r.forward) {
          listener.addTargetGroups(r.id, { priority: r.priority, conditions: [condition], targetGroups: [tg] });
        } else {
          listener.addAction(r.id, { priority: r.priority, conditions: [condition], action: fixed({ status: 404, contentType: 'text/plain', body: 'no' }) });
        }
      }
      service.attachToApplicationTargetGroup(tg);
      if (w.addTargets && w.addTargets.rule) {
        const at = w.addTargets;
        const extra = listener.addTargets('Extra', {
          port: at.port, priority: 100, conditions: [elbv2.ListenerCondition.pathPatterns(['/extra/*'])],
          ...(at.health !== null ? { healthCheck: { path: at.health } } : {}),
          ...(at.register === 'targets' ? { targets: [service] } : {}),
        });
        if (at.register === 'attach') service.attachToApplicationTargetGroup(extra);
        if (at.register === 'addTarget') extra.addTarget(service);
      }
    }
    if (e.pattern) {
      const pt = e.pattern;
      const generatedCert = pt.domain && pt.domain.generatedCert;
      const patternZone = !pt.domain ? undefined : pt.domain.zone === 'public'
        ? new route53.PublicHostedZone(stack, 'PatternZone', { zoneName: 'pattern.example.net' })
        : route53.HostedZone.fromHostedZoneAttributes(stack, 'PatternZone', { hostedZoneId: 'Z0123456789PATTERNZN', zoneName: 'pattern.example.net' });
      const pattern = new ecsp.ApplicationLoadBalancedFargateService(stack, 'Pattern', {
        cluster,
        taskImageOptions: {
          image: ecs.ContainerImage.fromRegistry(e.image), containerPort: pt.containerPort, enableLogging: pt.logging,
          ...(pt.containerName !== null ? { containerName: pt.containerName } : {}),
          ...(pt.env !== null ? { environment: { STAGE: pt.env } } : {}),
          ...(appSecret && e.secret.pattern ? { secrets: { DB_PASSWORD: appSecret } } : {}),
        },
        publicLoadBalancer: pt.publicLb, cpu: pt.cpu, memoryLimitMiB: pt.memory, openListener: pt.open,
        redirectHTTP: pt.redirect, assignPublicIp: pt.publicIp,
        ...(pt.https && !generatedCert ? { certificate: acm.Certificate.fromCertificateArn(stack, 'PatternCert', 'arn:aws:acm:us-east-1:123456789012:certificate/web') } : {}),
        ...(pt.https && generatedCert ? { protocol: elbv2.ApplicationProtocol.HTTPS } : {}),
        ...(pt.domain ? { domainName: pt.domain.name, domainZone: patternZone } : {}),
        ...(pt.listenerPort !== null ? { listenerPort: pt.listenerPort } : {}),
        ...(pt.desiredCount !== null ? { desiredCount: pt.desiredCount } : {}),
        ...(pt.taskSubnets !== null ? { taskSubnets: { subnetType: SUBNET_TYPES[pt.taskSubnets] } } : {}),
        ...(pt.grace !== null ? { healthCheckGracePeriod: Duration.seconds(pt.grace) } : {}),
        ...(pt.minHealthy !== null ? { minHealthyPercent: pt.minHealthy } : {}),
        ...(pt.lbName !== null ? { loadBalancerName: pt.lbName } : {}),
      });
      if (pt.health) {
        pattern.targetGroup.configureHealthCheck({
          path: pt.health.path,
          ...(pt.health.interval !== null ? { interval: Duration.seconds(pt.health.interval) } : {}),
          ...(pt.health.timeout !== null ? { timeout: Duration.seconds(pt.health.timeout) } : {}),
        });
      }
    }
    if (e.nlbPattern) {
      const np = e.nlbPattern;
      new ecsp.NetworkLoadBalancedFargateService(stack, 'NlbPattern', {
        cluster,
        taskImageOptions: { image: ecs.ContainerImage.fromRegistry(e.image), containerPort: e.port },
        publicLoadBalancer: np.publicLb, listenerPort: np.listenerPort,
        ...(np.desiredCount !== null ? { desiredCount: np.desiredCount } : {}),
        ...(np.taskSubnets !== null ? { taskSubnets: { subnetType: SUBNET_TYPES[np.taskSubnets] }, assignPublicIp: np.taskSubnets === 'Public' } : {}),
      });
    }
    if (e.scaling) {
      service.autoScaleTaskCount({ minCapacity: e.scaling.min, maxCapacity: e.scaling.max })
        .scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: e.scaling.cpu });
    }
    if (c.ecsRule) {
      const rule = new events.Rule(stack, 'RunTask', { schedule: events.Schedule.rate(Duration.hours(1)) });
      rule.addTarget(new targets.EcsTask({
        cluster, taskDefinition: task,
        ...(e.subnetType !== null ? { subnetSelection: { subnetType: SUBNET_TYPES[e.subnetType] } } : {}),
      }));
    }
    if (c.alb) {
      const a = c.alb;
      const group = ec2.SecurityGroup.fromSecurityGroupId(stack, 'AlbGroup', 'sg-0123456789abcdef0');
      const listener = elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'Listener443', {
        listenerArn: `arn:aws:elasticloadbalancing:${c.region ?? 'us-east-1'}:123456789012:listener/app/shared/0123456789abcdef/0123456789abcdef`,
        securityGroup: group,
      });
      const tg = new elbv2.ApplicationTargetGroup(stack, 'AppTargets', {
        vpc, port: a.port, targetType: elbv2.TargetType.IP,
        ...(a.healthPath !== null ? { healthCheck: { path: a.healthPath } } : {}),
        ...(a.name !== null ? { targetGroupName: a.name } : {}),
      });
      for (const r of a.rules) {
        const condition = r.condition.hosts ? elbv2.ListenerCondition.hostHeaders(r.condition.hosts) : elbv2.ListenerCondition.pathPatterns(r.condition.paths);
        new elbv2.ApplicationListenerRule(stack, r.id, { listener, priority: r.priority, conditions: [condition], targetGroups: [tg] });
      }
      service.attachToApplicationTargetGroup(tg);
    }
  }
  const attribute = (k: any): dynamodb.Attribute => ({ name: k.name, type: k.type as dynamodb.AttributeType });
  // A table's indexes, local and global in the configured order (before its grants, or after).
  const addIndexes = (t: any, table: dynamodb.Table) => {
    const locals = () => {
      for (const l of t.lsis) {
        table.addLocalSecondaryIndex({
          indexName: l.name, sortKey: attribute(l.sk),
          ...(l.keysOnly ? { projectionType: dynamodb.ProjectionType.KEYS_ONLY } : {}),
        });
      }
    };
    if (t.localsFirst) locals();
    for (const g of t.gsis) {
      table.addGlobalSecondaryIndex({
        indexName: g.name, partitionKey: attribute(g.pk),
        ...(g.sk !== null ? { sortKey: attribute(g.sk) } : {}),
        ...(g.keysOnly ? { projectionType: dynamodb.ProjectionType.KEYS_ONLY } : {}),
      });
    }
    if (!t.localsFirst) locals();
  };
  for (const t of c.tables) {
    const table = tables[t.id] = new dynamodb.Table(stack, t.id, {
      partitionKey: attribute(t.pk),
      ...(t.sk !== null ? { sortKey: attribute(t.sk) } : {}),
      ...(t.name !== null ? { tableName: t.name } : {}),
      ...(t.onDemand ? { billingMode: dynamodb.BillingMode.PAY_PER_REQUEST } : (t.capacity !== null ? { readCapacity: t.capacity[0], writeCapacity: t.capacity[1] } : {})),
      ...(t.stream !== null ? { stream: t.stream as dynamodb.StreamViewType } : {}),
      ...(t.ttl !== null ? { timeToLiveAttribute: t.ttl } : {}),
      ...(t.pitr !== null ? { pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: t.pitr } } : {}),
      ...(t.removal !== null ? { removalPolicy: REMOVAL[t.removal] } : {}),
      ...(t.encryption !== null ? { encryption: t.encryption === 'AWS_MANAGED' ? dynamodb.TableEncryption.AWS_MANAGED
        : t.encryption === 'CUSTOMER_MANAGED' ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.DEFAULT } : {}),
    });
    if (!t.indexesLate) addIndexes(t, table);
  }
  for (const f of c.functions) {
    const runtime: lambda.Runtime = ({
      'python3.13': lambda.Runtime.PYTHON_3_13, 'python3.12': lambda.Runtime.PYTHON_3_12, 'nodejs22.x': lambda.Runtime.NODEJS_22_X,
      'provided.al2023': lambda.Runtime.PROVIDED_AL2023, 'java21': lambda.Runtime.JAVA_21,
    } as Record<string, lambda.Runtime>)[f.runtime];
    const code = f.inline
      ? lambda.Code.fromInline('def handler(event, context):\n    return event')
      : lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, `${f.id}Artifacts`, 'artifacts-bucket'), `${f.id}.zip`);
    const logGroup = f.ownLogs !== null ? new logs.LogGroup(stack, `${f.id}Logs`, { retention: f.ownLogs as logs.RetentionDays }) : undefined;
    grantees[f.id] = new lambda.Function(stack, f.id, {
      runtime, code, handler: f.runtime.startsWith('provided') ? 'bootstrap' : 'index.handler',
      ...(f.arm ? { architecture: lambda.Architecture.ARM_64 } : {}),
      ...(f.memory !== null ? { memorySize: f.memory } : {}),
      ...(f.timeout !== null ? { timeout: Duration.seconds(f.timeout) } : {}),
      ...(f.name !== null ? { functionName: f.name } : {}),
      ...(f.description !== null ? { description: f.description } : {}),
      ...(Object.keys(f.env).length > 0 ? { environment: f.env } : {}),
      ...(logGroup ? { logGroup } : {}),
      ...(f.reserved !== null ? { reservedConcurrentExecutions: f.reserved } : {}),
      ...(f.vpc !== null ? {
        vpc,
        allowPublicSubnet: f.vpc.allowPublic,
        ...(f.vpc.subnets !== null ? { vpcSubnets: { subnetType: SUBNET_TYPES[f.vpc.subnets] } } : {}),
        ...(f.vpc.allowAllOutbound !== null ? { allowAllOutbound: f.vpc.allowAllOutbound } : {}),
      } : {}),
      ...(f.tracing !== null ? { tracing: (lambda.Tracing as any)[f.tracing] } : {}),
      ...(f.deadLetterQueue ? { deadLetterQueueEnabled: true } : {}),
    });
    const fn = grantees[f.id] as lambda.Function;
    if (f.permission !== null) {
      fn.addPermission('Invoke', {
        principal: /^[0-9]{12}$/.test(f.permission.principal) ? new iam.AccountPrincipal(f.permission.principal) : new iam.ServicePrincipal(f.permission.principal),
        ...(f.permission.sourceArn !== null ? { sourceArn: f.permission.sourceArn } : {}),
        ...(f.permission.sourceAccount !== null ? { sourceAccount: f.permission.sourceAccount } : {}),
      });
    }
    if (f.alias !== null) {
      fn.addAlias(f.alias);
    }
    if (f.versionOutput) {
      new CfnOutput(stack, `${f.id}Version`, { value: fn.currentVersion.version });
    }
    if (f.url !== null) {
      fn.addFunctionUrl({ authType: f.url === 'NONE' ? lambda.FunctionUrlAuthType.NONE : lambda.FunctionUrlAuthType.AWS_IAM });
    }
    for (const id of f.invokers) {
      fn.grantInvoke(grantees[id]);
    }
  }
  for (const [rule, n] of rules) {
    for (const f of c.functions.slice(0, n)) {
      rule.addTarget(new targets.LambdaFunction(grantees[f.id] as lambda.Function));
    }
  }
  if (c.http && c.functions.length > 0) {
    const h = c.http;
    const first = grantees[c.functions[0].id] as lambda.Function;
    const methodOf = (m: string) => (m === '*' ? apigwv2.CorsHttpMethod.ANY : m === 'GET' ? apigwv2.CorsHttpMethod.GET : apigwv2.CorsHttpMethod.POST);
    const hd = h.domain;
    const httpDomain = hd ? new apigwv2.DomainName(stack, 'HttpDomain', {
      domainName: hd.name,
      ...(hd.cert ? { certificate: acm.Certificate.fromCertificateArn(stack, 'HttpCert', 'arn:aws:acm:us-east-1:123456789012:certificate/http') } : {}),
      ...(hd.tls12 ? { securityPolicy: apigwv2.SecurityPolicy.TLS_1_2 } : {}),
    } as any) : undefined;
    const api = new apigwv2.HttpApi(stack, 'Http', {
      ...(httpDomain ? { defaultDomainMapping: { domainName: httpDomain, ...(hd.key !== null ? { mappingKey: hd.key } : {}) } } : {}),
      ...(h.name !== null ? { apiName: h.name } : {}),
      ...(h.description !== null ? { description: h.description } : {}),
      ...(h.cors !== null ? { corsPreflight: {
        allowOrigins: h.cors.origins,
        ...(h.cors.methods !== null ? { allowMethods: h.cors.methods.map(methodOf) } : {}),
        ...(h.cors.headers !== null ? { allowHeaders: h.cors.headers } : {}),
        ...(h.cors.expose !== null ? { exposeHeaders: h.cors.expose } : {}),
        ...(h.cors.maxAge !== null ? { maxAge: Duration.seconds(h.cors.maxAge) } : {}),
        ...(h.cors.credentials !== null ? { allowCredentials: h.cors.credentials } : {}),
      } } : {}),
      createDefaultStage: h.defaultStage,
    });
    if (httpDomain && hd.record) {
      const zone = new route53.PublicHostedZone(stack, 'HttpZone', { zoneName: 'example.net' });
      new route53.ARecord(stack, 'HttpAlias', { zone, recordName: hd.name,
        target: route53.RecordTarget.fromAlias(new route53targets.ApiGatewayv2DomainProperties(httpDomain.regionalDomainName, httpDomain.regionalHostedZoneId)) });
    }
    for (const st of h.stages) {
      api.addStage(st.id, { stageName: st.name, ...(st.autoDeploy !== null ? { autoDeploy: st.autoDeploy } : {}) });
    }
    const integrations = [new HttpLambdaIntegration('Handler', first), new HttpLambdaIntegration('Other', first)];
    for (const r of h.routes) {
      const methods = r.methods.map((m: string) => (m === 'GET' ? apigwv2.HttpMethod.GET : apigwv2.HttpMethod.POST));
      api.addRoutes({ path: r.path, methods, integration: integrations[r.integration % integrations.length] });
    }
  }
  for (const g of c.grants) {
    const table = tables[g.table];
    const to = grantees[g.to];
    if (!table || !to) continue;
    if (g.kind === 'read') table.grantReadData(to);
    else if (g.kind === 'write') table.grantWriteData(to);
    else if (g.kind === 'readWrite') table.grantReadWriteData(to);
    else table.grantStreamRead(to);
  }
  const buckets: Record<string, s3.Bucket> = {};
  for (const b of c.buckets) {
    const bpa = b.bpa === 'ALL' ? s3.BlockPublicAccess.BLOCK_ALL : b.bpa === 'ACLS' ? s3.BlockPublicAccess.BLOCK_ACLS
      : b.bpa === 'NOPOLICY' ? new s3.BlockPublicAccess({ blockPublicPolicy: false }) : undefined;
    const classes: Record<string, s3.StorageClass> = { STANDARD_IA: s3.StorageClass.INFREQUENT_ACCESS, GLACIER: s3.StorageClass.GLACIER, DEEP_ARCHIVE: s3.StorageClass.DEEP_ARCHIVE };
    buckets[b.id] = new s3.Bucket(stack, b.id, {
      ...(b.name !== null ? { bucketName: b.name } : {}),
      ...(b.encryption !== null ? { encryption: b.encryption === 'S3' ? s3.BucketEncryption.S3_MANAGED
        : b.encryption === 'KMS_OWN' ? s3.BucketEncryption.KMS : s3.BucketEncryption.KMS_MANAGED } : {}),
      ...(b.bucketKey !== null ? { bucketKeyEnabled: b.bucketKey } : {}),
      ...(bpa ? { blockPublicAccess: bpa } : {}),
      ...(b.versioned !== null ? { versioned: b.versioned } : {}),
      ...(b.lifecycle.length > 0 ? { lifecycleRules: b.lifecycle.map((l: any) => ({
        ...(l.id !== null ? { id: l.id } : {}),
        ...(l.prefix !== null ? { prefix: l.prefix } : {}),
        ...(l.expiration !== null ? { expiration: Duration.days(l.expiration) } : {}),
        ...(l.noncurrent !== null ? { noncurrentVersionExpiration: Duration.days(l.noncurrent) } : {}),
        ...(l.abort !== null ? { abortIncompleteMultipartUploadAfter: Duration.days(l.abort) } : {}),
        ...(l.enabled !== null ? { enabled: l.enabled } : {}),
        ...(l.transitions !== null ? { transitions: l.transitions.map((t: any) => ({ storageClass: classes[t[0]], transitionAfter: Duration.days(t[1]) })) } : {}),
      })) } : {}),
      enforceSSL: b.enforceSsl,
      ...(b.logs !== null && b.logs.target !== null ? { serverAccessLogsBucket: buckets[b.logs.target] } : {}),
      ...(b.logs !== null && b.logs.prefix !== null ? { serverAccessLogsPrefix: b.logs.prefix } : {}),
      ...(b.cors !== null ? { cors: b.cors.map((c: any) => ({
        allowedMethods: c.methods.map((m: string) => m as s3.HttpMethods), allowedOrigins: c.origins,
        ...(c.headers !== null ? { allowedHeaders: c.headers } : {}),
        ...(c.expose !== null ? { exposedHeaders: c.expose } : {}),
        ...(c.id !== null ? { id: c.id } : {}),
        ...(c.maxAge !== null ? { maxAge: c.maxAge } : {}),
      })) } : {}),
      ...(b.website !== null ? { websiteIndexDocument: b.website.index, ...(b.website.error !== null ? { websiteErrorDocument: b.website.error } : {}) } : {}),
      ...(b.ownership !== null ? { objectOwnership: b.ownership as s3.ObjectOwnership } : {}),
      ...(b.removal !== null ? { removalPolicy: REMOVAL[b.removal] } : {}),
    });
  }
  const queues: Record<string, sqs.Queue> = {};
  for (const q of c.queues) {
    const enc: Record<string, sqs.QueueEncryption> = { SQS: sqs.QueueEncryption.SQS_MANAGED, KMS: sqs.QueueEncryption.KMS_MANAGED, NONE: sqs.QueueEncryption.UNENCRYPTED,
      KMS_OWN: sqs.QueueEncryption.KMS };
    queues[q.id] = new sqs.Queue(stack, q.id, {
      fifo: q.fifo,
      ...(q.name !== null ? { queueName: q.name } : {}),
      ...(q.contentDedup ? { contentBasedDeduplication: true } : {}),
      ...(q.visibility !== null ? { visibilityTimeout: Duration.seconds(q.visibility) } : {}),
      ...(q.retention !== null ? { retentionPeriod: Duration.seconds(q.retention) } : {}),
      ...(q.delay !== null ? { deliveryDelay: Duration.seconds(q.delay) } : {}),
      ...(q.wait !== null ? { receiveMessageWaitTime: Duration.seconds(q.wait) } : {}),
      ...(q.encryption !== null ? { encryption: enc[q.encryption] } : {}),
      ...(q.dlq !== null ? { deadLetterQueue: { queue: queues[q.dlq], maxReceiveCount: q.maxReceive } } : {}),
    });
  }
  const topics: Record<string, sns.Topic> = {};
  for (const t of c.topics) {
    const topic = topics[t.id] = new sns.Topic(stack, t.id, {
      ...(t.fifo ? { fifo: true } : {}),
      ...(t.name !== null ? { topicName: t.name } : {}),
      ...(t.display !== null ? { displayName: t.display } : {}),
      ...(t.contentDedup ? { contentBasedDeduplication: true } : {}),
    });
    for (const sub of t.subs) {
      if (sub.kind === 'sqs' || sub.kind === 'sqsRaw') topic.addSubscription(new subs.SqsSubscription(queues[sub.target], sub.kind === 'sqsRaw' ? { rawMessageDelivery: true } : {}));
      else if (sub.kind === 'lambda') topic.addSubscription(new subs.LambdaSubscription(grantees[sub.target] as lambda.Function));
      else if (sub.kind === 'email') topic.addSubscription(new subs.EmailSubscription(sub.target));
      else topic.addSubscription(new subs.UrlSubscription(sub.target));
    }
  }
  for (const t of c.queueTargets) {
    const i = c.rules.findIndex((r: any) => r.id === t.rule);
    rules[i][0].addTarget(new targets.SqsQueue(queues[t.queue], t.group !== null ? { messageGroupId: t.group } : {}));
  }
  const keys: Record<string, kms.Key> = {};
  for (const k of c.keys) {
    const key = keys[k.id] = new kms.Key(stack, k.id, {
      ...(k.description !== null ? { description: k.description } : {}),
      ...(k.rotation !== null ? { enableKeyRotation: k.rotation } : {}),
      ...(k.alias !== null ? { alias: k.alias } : {}),
      ...(k.pending !== null ? { pendingWindow: Duration.days(k.pending) } : {}),
      ...(k.removal !== null ? { removalPolicy: REMOVAL[k.removal] } : {}),
    });
    if (k.extraAlias !== null) key.addAlias(k.extraAlias);
  }
  if (c.cdn) {
    const d = c.cdn;
    const cache: Record<string, cloudfront.ICachePolicy> = { optimized: cloudfront.CachePolicy.CACHING_OPTIMIZED, disabled: cloudfront.CachePolicy.CACHING_DISABLED,
      uncompressed: cloudfront.CachePolicy.CACHING_OPTIMIZED_FOR_UNCOMPRESSED_OBJECTS };
    const methods: Record<string, cloudfront.AllowedMethods> = { options: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS, all: cloudfront.AllowedMethods.ALLOW_ALL };
    const requests: Record<string, cloudfront.IOriginRequestPolicy> = { allViewer: cloudfront.OriginRequestPolicy.ALL_VIEWER,
      exceptHost: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER, cors: cloudfront.OriginRequestPolicy.CORS_CUSTOM_ORIGIN };
    const prices: Record<string, cloudfront.PriceClass> = { '100': cloudfront.PriceClass.PRICE_CLASS_100, '200': cloudfront.PriceClass.PRICE_CLASS_200, All: cloudfront.PriceClass.PRICE_CLASS_ALL };
    const origin = d.origin.bucket ? origins.S3BucketOrigin.withOriginAccessControl(buckets[d.origin.bucket]) : new origins.HttpOrigin(d.origin.domain);
    const cdnZone = d.domains !== null && (d.requestCertificate || d.alias)
      ? route53.HostedZone.fromHostedZoneAttributes(stack, 'CdnZone', { hostedZoneId: 'Z0123456789CDNZONEAB', zoneName: 'example.com' }) : undefined;
    const cdnCertificate = d.domains !== null ? (cdnZone && d.requestCertificate
      ? new acm.Certificate(stack, 'CdnCert', { domainName: d.domains[0], validation: acm.CertificateValidation.fromDns(cdnZone) })
      : acm.Certificate.fromCertificateArn(stack, 'CdnCertificate', 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555')) : undefined;
    const dist = new cloudfront.Distribution(stack, 'Cdn', {
      defaultBehavior: {
        origin,
        ...(d.cache !== null ? { cachePolicy: cache[d.cache] } : {}),
        ...(d.methods !== null ? { allowedMethods: methods[d.methods] } : {}),
      },
      ...(d.root !== null ? { defaultRootObject: d.root } : {}),
      ...(d.domains !== null ? { domainNames: d.domains, certificate: cdnCertificate } : {}),
      ...(d.errors !== null ? { errorResponses: d.errors.map((e: any) => ({ httpStatus: e.status, responseHttpStatus: e.code, responsePagePath: e.page,
        ...(e.ttl !== null ? { ttl: Duration.seconds(e.ttl) } : {}) })) } : {}),
      ...(d.comment !== null ? { comment: d.comment } : {}),
      ...(d.priceClass !== null ? { priceClass: prices[d.priceClass] } : {}),
    });
    if (d.api !== null) {
      dist.addBehavior(d.api.path, new origins.HttpOrigin(d.api.domain), {
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED, allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        ...(d.api.request !== null ? { originRequestPolicy: requests[d.api.request] } : {}),
      });
    }
    if (cdnZone && d.alias) {
      new route53.ARecord(stack, 'CdnAlias', { zone: cdnZone, target: route53.RecordTarget.fromAlias(new route53targets.CloudFrontTarget(dist)), recordName: d.domains[0] });
    }
  }
  for (const e of c.eventSources) {
    (grantees[e.function] as lambda.Function).addEventSource(new sources.SqsEventSource(queues[e.queue], {
      ...(e.batch !== null ? { batchSize: e.batch } : {}),
      ...(e.window !== null ? { maxBatchingWindow: Duration.seconds(e.window) } : {}),
      ...(e.report ? { reportBatchItemFailures: true } : {}),
      ...(e.enabled !== null ? { enabled: e.enabled } : {}),
    }));
  }
  for (const e of (c.dynamoSources ?? [])) {
    (grantees[e.function] as lambda.Function).addEventSource(new sources.DynamoEventSource(tables[e.table], {
      startingPosition: e.start === 'LATEST' ? lambda.StartingPosition.LATEST : lambda.StartingPosition.TRIM_HORIZON,
      ...(e.batch !== null ? { batchSize: e.batch } : {}),
      ...(e.window !== null ? { maxBatchingWindow: Duration.seconds(e.window) } : {}),
      ...(e.bisect !== null ? { bisectBatchOnError: e.bisect } : {}),
      ...(e.retry !== null ? { retryAttempts: e.retry } : {}),
      ...(e.age !== null ? { maxRecordAge: Duration.seconds(e.age) } : {}),
      ...(e.parallel !== null ? { parallelizationFactor: e.parallel } : {}),
      ...(e.report ? { reportBatchItemFailures: true } : {}),
      ...(e.enabled !== null ? { enabled: e.enabled } : {}),
    }));
  }
  for (const g of c.storeGrants) {
    const to = grantees[g.to];
    if (!to) continue;
    if (g.bucket) {
      const b = buckets[g.bucket];
      if (g.kind === 'read') b.grantRead(to);
      else if (g.kind === 'write') b.grantWrite(to);
      else if (g.kind === 'readWrite') b.grantReadWrite(to);
      else if (g.kind === 'put') b.grantPut(to);
      else b.grantDelete(to);
    } else if (g.queue) {
      if (g.kind === 'send') queues[g.queue].grantSendMessages(to);
      else queues[g.queue].grantConsumeMessages(to);
    } else if (g.topic) {
      topics[g.topic].grantPublish(to);
    } else if (g.key) {
      if (g.kind === 'encryptDecrypt') keys[g.key].grantEncryptDecrypt(to);
      else if (g.kind === 'decrypt') keys[g.key].grantDecrypt(to);
      else keys[g.key].grantEncrypt(to);
    }
  }
  for (const sc of c.secrets) {
    const g = sc.gen;
    const secret = new sm.Secret(stack, sc.id, {
      ...(sc.name !== null ? { secretName: sc.name } : {}),
      ...(sc.description !== null ? { description: sc.description } : {}),
      ...(g ? { generateSecretString: {
        ...(g.json ? { secretStringTemplate: JSON.stringify({ username: 'app' }), generateStringKey: 'password' } : {}),
        ...(g.length !== null ? { passwordLength: g.length } : {}),
        ...(g.exclude !== null ? { excludeCharacters: g.exclude } : {}),
        ...(g.noPunctuation ? { excludePunctuation: true } : {}),
      } } : {}),
      ...(sc.key !== null ? { encryptionKey: keys[sc.key] } : {}),
    });
    for (const to of sc.grants) {
      if (grantees[to]) secret.grantRead(grantees[to]);
    }
  }
  for (const t of c.tables.filter((t: any) => t.indexesLate)) addIndexes(t, tables[t.id]);
  if (c.lambdaRest && c.functions.length > 0) {
    const api = new apigateway.LambdaRestApi(stack, 'LambdaRest', {
      handler: grantees[c.functions[0].id] as lambda.Function, proxy: c.lambdaRest.proxy, deployOptions: { stageName: c.lambdaRest.stage },
    });
    if (!c.lambdaRest.proxy) api.root.addResource('items').addMethod('GET');
  }
  if (c.api) {
    const a = c.api;
    const d = a.domain;
    const domainOptions = d ? {
      domainName: d.name,
      certificate: acm.Certificate.fromCertificateArn(stack, 'ApiCert', 'arn:aws:acm:us-east-1:123456789012:certificate/api'),
      endpointType: d.edge ? apigateway.EndpointType.EDGE : apigateway.EndpointType.REGIONAL,
      ...(d.basePath !== null ? { basePath: d.basePath } : {}),
      ...(d.tls12 ? { securityPolicy: apigateway.SecurityPolicy.TLS_1_2 } : {}),
    } : undefined;
    const api = new apigateway.RestApi(stack, 'Api', {
      ...(a.name !== null ? { restApiName: a.name } : {}),
      ...(a.description !== null ? { description: a.description } : {}),
      deployOptions: { stageName: a.stage },
      ...(d && d.viaProps ? { domainName: domainOptions } : {}),
    });
    if (d && !d.viaProps) api.addDomainName('Domain', domainOptions!);
    if (d && d.record && api.domainName) {
      const zone = new route53.PublicHostedZone(stack, 'ApiZone', { zoneName: 'example.org' });
      new route53.ARecord(stack, 'ApiAlias', { zone, recordName: d.name, target: route53.RecordTarget.fromAlias(new route53targets.ApiGatewayDomain(api.domainName)) });
    }
    for (const r of a.resources) {
      const resource = api.root.addResource(r.path);
      for (const m of r.methods) {
        const first = c.functions.length > 0 ? grantees[c.functions[0].id] as lambda.Function : undefined;
        resource.addMethod(m, r.lambda && first ? new apigateway.LambdaIntegration(first) : new apigateway.Integration({
          type: apigateway.IntegrationType.HTTP_PROXY, integrationHttpMethod: m, uri: `https://example.com/${r.path}`,
        }));
      }
    }
  }
  for (const z of c.zones) {
    new route53.PrivateHostedZone(stack, z.id, { zoneName: z.name, vpc, ...(z.comment !== null ? { comment: z.comment } : {}) });
  }
  for (const e of c.gatewayEndpoints) {
    vpc.addGatewayEndpoint(e.id, {
      service: e.service === 's3' ? ec2.GatewayVpcEndpointAwsService.S3 : ec2.GatewayVpcEndpointAwsService.DYNAMODB,
      ...(e.subnetTypes !== null ? { subnets: e.subnetTypes.map((t: string) => ({ subnetType: SUBNET_TYPES[t] })) } : {}),
    });
  }
}

export function build(app: App) {
  const configs = JSON.parse(fs.readFileSync(process.env.IRONCDK_PARITY_CONFIGS as string, 'utf8'));
  const refused: Record<string, string> = {};
  for (const c of configs) {
    try {
      buildStack(app, c);
      // What CDK refuses only when the app synthesizes (its construct validations, such as a
      // local index on a table without a sort key) is a refusal of this stack too.
      const stack = app.node.tryFindChild(c.name);
      const errors = stack ? stack.node.findAll().flatMap((n) => n.node.validate()) : [];
      if (errors.length > 0) throw new Error(errors.join('; '));
    } catch (e: any) {
      refused[c.name] = String(e && e.message ? e.message : e);
      const partial = app.node.tryFindChild(c.name);
      if (partial) app.node.tryRemoveChild(c.name);
    }
  }
  fs.writeFileSync(path.join(app.outdir, 'refused.json'), JSON.stringify(refused, null, 1));
}
