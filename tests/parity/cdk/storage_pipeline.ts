// The TypeScript twin of examples/storage_pipeline.rs, construct for construct.
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';

const HANDLER = "import json\n\ndef handler(event, context):\n    for record in event['Records']:\n        print(json.loads(record['body']).get('Message'))\n    return {'batchItemFailures': []}\n";

export function build(app: App) {
  const stack = new Stack(app, 'StoragePipeline');

  const uploads = new s3.Bucket(stack, 'Uploads', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    versioned: true,
    enforceSSL: true,
    lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
  });

  const uploaded = new sns.Topic(stack, 'Uploaded');
  uploads.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SnsDestination(uploaded), { prefix: 'incoming/' });

  const failed = new sqs.Queue(stack, 'ProcessFailed', { retentionPeriod: Duration.days(14) });
  const process = new sqs.Queue(stack, 'Process', {
    visibilityTimeout: Duration.seconds(180),
    deadLetterQueue: { queue: failed, maxReceiveCount: 3 },
  });
  uploaded.addSubscription(new subs.SqsSubscription(process));

  const worker = new lambda.Function(stack, 'Worker', {
    runtime: lambda.Runtime.PYTHON_3_13, handler: 'index.handler', code: lambda.Code.fromInline(HANDLER),
    timeout: Duration.seconds(30),
  });
  worker.addEventSource(new sources.SqsEventSource(process, { batchSize: 10, reportBatchItemFailures: true }));
  uploads.grantRead(worker);
}
