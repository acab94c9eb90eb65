//! A storage pipeline: files uploaded under `incoming/` to an encrypted, versioned bucket are
//! announced on a topic; a queue subscribed to it (with a dead-letter queue) feeds a function.
//!
//! `cargo run --example storage_pipeline` writes `cdk.out/StoragePipeline.template.json`. The
//! bucket's notification is written in the bucket itself, with the topic's policy admitting S3
//! ordered before it: no custom-resource Lambda, as CDK would add, and no ordering cycle.

use ironcdk::cost::AssumptionSource;
use ironcdk::lambda::{Code, Function, FunctionProps, Runtime, SqsEventSourceProps};
use ironcdk::s3::{BlockPublicAccess, Bucket, BucketEncryption, BucketProps, EventType, LifecycleRule, NotificationDestination, NotificationKeyFilter};
use ironcdk::sns::{Subscription, Topic, TopicProps};
use ironcdk::sqs::{Queue, QueueProps};
use ironcdk::{App, Duration, Stack};

const HANDLER: &str = "import json\n\ndef handler(event, context):\n    for record in event['Records']:\n        print(json.loads(record['body']).get('Message'))\n    return {'batchItemFailures': []}\n";

/// Builds the stack into `app`.
pub fn storage_pipeline(app: &App) -> ironcdk::Result<Stack> {
    let stack = Stack::new(app, "StoragePipeline")?;

    let uploads = Bucket::new(&stack, "Uploads", BucketProps::new()
        .encryption(BucketEncryption::S3Managed)
        .block_public_access(BlockPublicAccess::BLOCK_ALL)
        .versioned(true)
        .enforce_ssl(true)
        .lifecycle_rules(vec![LifecycleRule::new()
            .noncurrent_version_expiration(Duration::days(30))
            .abort_incomplete_multipart_upload_after(Duration::days(7))]))?;

    let uploaded = Topic::new(&stack, "Uploaded", TopicProps::new())?;
    uploads.add_event_notification(EventType::ObjectCreated, NotificationDestination::Topic(uploaded.clone()), NotificationKeyFilter::prefix("incoming/"))?;

    let failed = Queue::new(&stack, "ProcessFailed", QueueProps::new().retention_period(Duration::days(14)))?;
    let process = Queue::new(&stack, "Process", QueueProps::new()
        .visibility_timeout(Duration::seconds(180))
        .dead_letter_queue(&failed, 3))?;
    uploaded.add_subscription(Subscription::sqs(&process))?;

    let worker = Function::new(&stack, "Worker", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", Code::from_inline(HANDLER))
        .timeout(Duration::seconds(30)))?;
    worker.add_sqs_event_source(&process, SqsEventSourceProps::new().batch_size(10).report_batch_item_failures(true))?;
    uploads.grant_read(&worker)?;

    // What the templates cannot tell the cost report: 100 GB kept, 100,000 uploads a month,
    // each announced once and read once, and its queue messages sent, received and deleted.
    app.cost_assumptions(|a| -> Result<(), String> {
        a.set("s3.gb_stored", 100.0, AssumptionSource::Code)?;
        a.set("s3.million_puts", 0.1, AssumptionSource::Code)?;
        a.set("s3.million_gets", 0.1, AssumptionSource::Code)?;
        a.set("sns.million_publishes", 0.1, AssumptionSource::Code)?;
        a.set_for("StoragePipeline/Process", "sqs.million_requests", [0.3; 3], AssumptionSource::Code)?;
        a.set("lambda.million_requests", 0.01, AssumptionSource::Code)?;
        a.set("lambda.duration_ms", 200.0, AssumptionSource::Code)
    })
    .map_err(|e| ironcdk::Error::validation("StoragePipeline", e))?;
    Ok(stack)
}

fn main() -> std::process::ExitCode {
    let app = App::new();
    ironcdk::exit_code(storage_pipeline(&app).and_then(|_| app.synth()))
}
