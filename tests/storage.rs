//! S3 buckets, SQS queues and SNS topics: the storage pipeline example linted and deployed to
//! moto, bucket notifications without a custom resource, and what S3, SQS, SNS or Lambda refuse
//! at deploy refused at synth, naming the construct. (What they render is checked against
//! aws-cdk-lib in the random parity run, which builds them with every option.)
//!
//! What moto does not model: it skips bucket, topic and queue policies and SNS subscriptions,
//! its bucket takes encryption and tags only (not the notification configuration, versioning or
//! lifecycle), it sends no event and runs no function; the deploy proves the rest of the
//! template is taken as written, not that S3 would accept the notification (S3 checks the topic
//! policy, which is why the bucket waits for it; asserted on the template).

mod common;

#[allow(dead_code)]
#[path = "../examples/storage_pipeline.rs"]
mod storage_pipeline;

use ironcdk::lambda::{Code, Function, FunctionProps, Runtime, SqsEventSourceProps};
use ironcdk::s3::{Bucket, BucketEncryption, BucketProps, EventType, LifecycleRule, NotificationDestination, NotificationKeyFilter};
use ironcdk::sns::{Subscription, Topic, TopicProps};
use ironcdk::sqs::{Queue, QueueEncryption, QueueProps};
use ironcdk::{App, Duration, Stack};

fn err<T>(r: ironcdk::Result<T>) -> String {
    match r {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn buckets_refuse_what_s3_refuses() {
    let app = App::new();
    let s = Stack::new(&app, "S").unwrap();
    for (name, id) in [("Upper_Case", "A"), ("ab", "B"), ("ends-", "C"), ("two..dots", "D")] {
        let e = err(Bucket::new(&s, id, BucketProps::new().bucket_name(name)));
        assert!(e.contains(&format!("S/{id}")) && e.contains("is not one S3 takes"), "{e}");
    }
    let e = err(Bucket::new(&s, "E", BucketProps::new().lifecycle_rules(vec![LifecycleRule::new().prefix("tmp/")])));
    assert!(e.contains("needs an action"), "{e}");
    let e = err(Bucket::new(&s, "F", BucketProps::new().lifecycle_rules(vec![LifecycleRule::new().expiration(Duration::hours(36))])));
    assert!(e.contains("whole number of days"), "{e}");
    let twice = LifecycleRule::new().expiration(Duration::days(30));
    let e = err(Bucket::new(&s, "G", BucketProps::new().lifecycle_rules(vec![twice.clone(), twice])));
    assert!(e.contains("identical"), "{e}");
    let e = err(Bucket::new(&s, "H", BucketProps::new().bucket_key_enabled(true)));
    assert!(e.contains("KMS encryption"), "{e}");
    Bucket::new(&s, "Ok", BucketProps::new().encryption(BucketEncryption::KmsManaged).bucket_key_enabled(true)).unwrap();
    // An imported bucket's policy is not ours.
    let imported = Bucket::from_bucket_name(&s, "Existing", "my-existing-bucket").unwrap();
    let e = err(imported.add_to_resource_policy(ironcdk::iam::PolicyStatement::allow().actions(["s3:GetObject"]).resource(imported.arn_for_objects("*"))));
    assert!(e.contains("S/Existing") && e.contains("imported"), "{e}");
    assert!(err(Bucket::from_bucket_arn(&s, "BadArn", "arn:aws:sqs:us-east-1:1:q")).contains("not a bucket ARN"));
}

#[test]
fn queues_and_topics_refuse_what_sqs_and_sns_refuse() {
    let app = App::new();
    let s = Stack::new(&app, "S").unwrap();
    let fifo = Queue::new(&s, "Fifo", QueueProps::new().fifo(true)).unwrap();
    let standard = Queue::new(&s, "Standard", QueueProps::new()).unwrap();
    let e = err(Queue::new(&s, "A", QueueProps::new().dead_letter_queue(&fifo, 3)));
    assert!(e.contains("S/A") && e.contains("same kind"), "{e}");
    let e = err(Queue::new(&s, "B", QueueProps::new().fifo(true).queue_name("orders")));
    assert!(e.contains("orders.fifo"), "{e}");
    let e = err(Queue::new(&s, "C", QueueProps::new().content_based_deduplication(true)));
    assert!(e.contains("FIFO queues"), "{e}");
    let e = err(Queue::new(&s, "D", QueueProps::new().visibility_timeout(Duration::hours(13))));
    assert!(e.contains("visibility timeout 46800 s"), "{e}");
    let e = err(Queue::new(&s, "E", QueueProps::new().dead_letter_queue(&standard, 0)));
    assert!(e.contains("max receive count 0"), "{e}");

    let topic = Topic::new(&s, "Topic", TopicProps::new()).unwrap();
    let e = err(topic.add_subscription(Subscription::sqs(&fifo)));
    assert!(e.contains("S/Topic") && e.contains("FIFO topics only"), "{e}");
    let kms = Queue::new(&s, "Kms", QueueProps::new().encryption(QueueEncryption::KmsManaged)).unwrap();
    let e = err(topic.add_subscription(Subscription::sqs(&kms)));
    assert!(e.contains("alias/aws/sqs"), "{e}");
    assert!(err(topic.add_subscription(Subscription::email("not-an-address"))).contains("not an email address"));
    assert!(err(topic.add_subscription(Subscription::https("http://plain.example.com"))).contains("not an https:// URL"));
    let fifo_topic = Topic::new(&s, "FifoTopic", TopicProps::new().fifo(true)).unwrap();
    let f = Function::new(&s, "Fn", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", Code::from_inline("x"))).unwrap();
    let e = err(fifo_topic.add_subscription(Subscription::lambda(&f)));
    assert!(e.contains("SQS queues only"), "{e}");
    fifo_topic.add_subscription(Subscription::sqs(&fifo)).unwrap();
    topic.add_subscription(Subscription::sqs(&standard)).unwrap();
    // CDK's name for a FIFO topic without one (aws-cdk-lib 2.276 gives this one the same name),
    // and the subscription waiting for the queue policy.
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let names: Vec<&str> = t["Resources"].as_object().unwrap().values().filter(|r| r["Type"] == "AWS::SNS::Topic").filter_map(|r| r["Properties"]["TopicName"].as_str()).collect();
    assert_eq!(names, ["S-FifoTopic-A45835C8.fifo"]);
    let subscription = &t["Resources"].as_object().unwrap().iter().find(|(id, r)| r["Type"] == "AWS::SNS::Subscription" && id.starts_with("Standard")).unwrap().1;
    let policy = t["Resources"].as_object().unwrap().iter().find(|(id, r)| r["Type"] == "AWS::SQS::QueuePolicy" && id.starts_with("Standard")).unwrap().0;
    assert_eq!(subscription["DependsOn"], serde_json::json!([policy]));
}

#[test]
fn the_storage_pipeline_lints_clean_and_deploys() {
    let dir = common::temp_dir("storage-pipeline");
    let app = App::with_outdir(dir.join("cdk.out"));
    storage_pipeline::storage_pipeline(&app).unwrap();
    let a = app.synth().unwrap();
    let s = a.stack("StoragePipeline").unwrap();
    let t = s.template();
    let types: Vec<&str> = t["Resources"].as_object().unwrap().values().filter_map(|r| r["Type"].as_str()).collect();
    assert!(!types.iter().any(|t| t.starts_with("Custom::")), "no custom resource: {types:?}");
    assert_eq!(types.iter().filter(|t| **t == "AWS::Lambda::Function").count(), 1, "the worker only, no notifications handler");
    let (bucket_id, bucket) = common::of_type(&t, "AWS::S3::Bucket")[0];
    let (policy_id, policy) = common::of_type(&t, "AWS::SNS::TopicPolicy")[0];
    assert_eq!(bucket["DependsOn"], serde_json::json!([policy_id]), "S3 checks the topic policy when it makes the notification");
    assert!(!policy.to_string().contains(bucket_id.as_str()), "the policy does not name the bucket (that would be a cycle)");
    // cfn-lint and cloudformation-validate find nothing but CDK's own Lambda role dependency.
    let Some(warnings) = common::cfn_lint_all(&[s.template_path.clone()]) else { return };
    assert!(warnings.iter().all(|w| common::is_cdk_lambda_role_dependency(w)), "{warnings:#?}");
    let Some(moto) = common::Moto::start() else { return };
    let resources = moto.deploy(&s.template_path, "StoragePipeline", &s.capabilities);
    // Exactly the types moto 5.2.5 skips (it lists them without a logical ID); its bucket takes
    // encryption and tags only (not the notification, versioning or lifecycle).
    assert_eq!(common::not_created(&t, &resources), ["AWS::S3::BucketPolicy", "AWS::SNS::Subscription", "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy"]);
}

#[test]
fn notifications_refuse_what_s3_refuses() {
    let app = App::new();
    let s = Stack::new(&app, "S").unwrap();
    let bucket = Bucket::new(&s, "B", BucketProps::new()).unwrap();
    let topic = Topic::new(&s, "T", TopicProps::new()).unwrap();
    bucket.add_event_notification(EventType::ObjectCreated, NotificationDestination::Topic(topic.clone()), NotificationKeyFilter::prefix("in/")).unwrap();
    // Overlapping: the same event family and a prefix inside the other.
    let e = err(bucket.add_event_notification(EventType::ObjectCreatedPut, NotificationDestination::Topic(topic.clone()), NotificationKeyFilter::prefix("in/images/")));
    assert!(e.contains("S/B") && e.contains("overlap"), "{e}");
    // Not overlapping: other keys, or another event family.
    bucket.add_event_notification(EventType::ObjectCreated, NotificationDestination::Topic(topic.clone()), NotificationKeyFilter::prefix("out/")).unwrap();
    bucket.add_event_notification(EventType::ObjectRemoved, NotificationDestination::Topic(topic), NotificationKeyFilter::prefix("in/")).unwrap();
    let fifo = Topic::new(&s, "Fifo", TopicProps::new().fifo(true)).unwrap();
    let e = err(bucket.add_event_notification(EventType::ObjectRemovedDelete, NotificationDestination::Topic(fifo), NotificationKeyFilter::prefix("x/")));
    assert!(e.contains("standard topics only"), "{e}");
    let imported = Bucket::from_bucket_name(&s, "Existing", "some-existing-bucket").unwrap();
    let q = Queue::new(&s, "Q", QueueProps::new()).unwrap();
    let e = err(imported.add_event_notification(EventType::ObjectCreated, NotificationDestination::Queue(q.clone()), NotificationKeyFilter::default()));
    assert!(e.contains("imported"), "{e}");
    // A named bucket's destinations name it; the queue policy admits S3 from it.
    let named = Bucket::new(&s, "Named", BucketProps::new().bucket_name("my-uploads-bucket")).unwrap();
    named.add_event_notification(EventType::ObjectCreated, NotificationDestination::Queue(q), NotificationKeyFilter::suffix(".csv")).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let (_, qp) = common::of_type(&t, "AWS::SQS::QueuePolicy")[0];
    assert!(qp.to_string().contains(":s3:::my-uploads-bucket"), "{qp}");
}

#[test]
fn an_sqs_event_source_refuses_what_lambda_refuses() {
    let app = App::new();
    let s = Stack::new(&app, "S").unwrap();
    let f = Function::new(&s, "Fn", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", Code::from_inline("x")).timeout(Duration::seconds(60))).unwrap();
    let short = Queue::new(&s, "Short", QueueProps::new()).unwrap();
    let e = err(f.add_sqs_event_source(&short, SqsEventSourceProps::new()));
    assert!(e.contains("S/Fn") && e.contains("30 s, less than the function's 60 s timeout"), "{e}");
    let long = Queue::new(&s, "Long", QueueProps::new().visibility_timeout(Duration::seconds(360))).unwrap();
    let e = err(f.add_sqs_event_source(&long, SqsEventSourceProps::new().batch_size(100)));
    assert!(e.contains("batch size 100 is outside 1 to 10"), "{e}");
    f.add_sqs_event_source(&long, SqsEventSourceProps::new().batch_size(100).max_batching_window(Duration::seconds(10))).unwrap();
}

#[allow(dead_code)]
#[path = "../examples/static_site.rs"]
mod static_site;

#[test]
fn the_static_site_lints_clean_and_deploys() {
    let dir = common::temp_dir("static-site");
    let app = App::with_outdir(dir.join("cdk.out"));
    static_site::static_site(&app).unwrap();
    let a = app.synth().unwrap();
    let s = a.stack("StaticSite").unwrap();
    let t = s.template();
    let (_, policy) = common::of_type(&t, "AWS::S3::BucketPolicy")[0];
    let statements = policy["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap();
    assert_eq!(statements[1]["Principal"], serde_json::json!({"Service": "cloudfront.amazonaws.com"}), "the bucket admits CloudFront");
    assert!(statements[1]["Condition"]["StringEquals"]["AWS:SourceArn"].to_string().contains(":distribution/"), "for this distribution only");
    let Some(warnings) = common::cfn_lint_all(&[s.template_path.clone()]) else { return };
    assert!(warnings.is_empty(), "{warnings:#?}");
    // moto 5.2.5 has no CloudFormation model of CloudFront (it skips the distribution and the
    // origin access control), so an output reading the distribution's domain name fails there:
    // the deploy is of the template without that output.
    let mut without = t.clone();
    without["Outputs"].as_object_mut().unwrap().remove("DistributionDomainName");
    let path = dir.join("StaticSite.moto.json");
    std::fs::write(&path, without.to_string()).unwrap();
    let Some(moto) = common::Moto::start() else { return };
    let resources = moto.deploy(&path, "StaticSite", &s.capabilities);
    assert_eq!(common::not_created(&t, &resources), ["AWS::CloudFront::Distribution", "AWS::CloudFront::OriginAccessControl", "AWS::S3::BucketPolicy"]);
}

/// A site on its own domain, as a new user writes it with CDK: a certificate requested in the
/// stack (us-east-1, DNS-validated in the zone), the distribution serving it, and alias records
/// to the distribution. As aws-cdk-lib 2.276 writes it (read off its synth of the same
/// program): the certificate by `Ref`, CloudFront's zone found by partition in a mapping the
/// first record adds to the stack. A certificate requested in a stack pinned elsewhere is
/// refused, as CloudFront refuses it.
#[test]
fn a_site_on_its_own_domain_with_its_certificate_and_alias_records() {
    use ironcdk::certificatemanager::{Certificate, CertificateProps, CertificateValidation};
    use ironcdk::cloudfront::{BehaviorOptions, Distribution, DistributionProps, Origin};
    use ironcdk::route53::{ARecord, ARecordProps, HostedZone, RecordTarget};
    use ironcdk::{Environment, StackProps};
    use serde_json::json;
    let site = |region: &str| -> ironcdk::Result<App> {
        let app = App::new();
        let stack = Stack::with_props(&app, "Site", StackProps::new().env(Environment::region(region)))?;
        let zone = HostedZone::from_hosted_zone_attributes(&stack, "Zone", "Z0123456789ABCDEFGHIJ", "example.com")?;
        let cert = Certificate::new(&stack, "Cert", CertificateProps::new("www.example.com").subject_alternative_names(vec!["example.com".into()]).validation(CertificateValidation::from_dns(&zone)))?;
        let bucket = Bucket::new(&stack, "Content", BucketProps::new())?;
        let cdn = Distribution::new(&stack, "Cdn", DistributionProps::new(BehaviorOptions::new(Origin::s3_with_origin_access_control(&bucket)))
            .default_root_object("index.html")
            .domain_names_with_certificate(["www.example.com", "example.com"], &cert))?;
        ARecord::new(&stack, "Alias", ARecordProps::new(&zone, RecordTarget::cloudfront(&cdn)).record_name("www"))?;
        ARecord::new(&stack, "Apex", ARecordProps::new(&zone, RecordTarget::cloudfront(&cdn)))?;
        Ok(app)
    };
    let dir = common::temp_dir("own-domain");
    let app = site("us-east-1").unwrap();
    let a = app.synth_in_memory().unwrap();
    let t = a.stacks[0].template();
    let (cert_id, _) = common::of_type(&t, "AWS::CertificateManager::Certificate")[0];
    let (_, cdn) = common::of_type(&t, "AWS::CloudFront::Distribution")[0];
    assert_eq!(cdn["Properties"]["DistributionConfig"]["ViewerCertificate"], json!({"AcmCertificateArn": {"Ref": cert_id}, "MinimumProtocolVersion": "TLSv1.2_2021", "SslSupportMethod": "sni-only"}));
    assert_eq!(t["Mappings"], json!({"AWSCloudFrontPartitionHostedZoneIdMap": {"aws": {"zoneId": "Z2FDTNDATAQYW2"}, "aws-cn": {"zoneId": "Z3RFFRIM2A3IF5"}}}), "one mapping for both records");
    let records = common::of_type(&t, "AWS::Route53::RecordSet");
    assert_eq!(records.len(), 2);
    for (_, r) in &records {
        assert_eq!(r["Properties"]["AliasTarget"]["HostedZoneId"], json!({"Fn::FindInMap": ["AWSCloudFrontPartitionHostedZoneIdMap", {"Ref": "AWS::Partition"}, "zoneId"]}));
    }
    let path = dir.join("Site.template.json");
    std::fs::write(&path, t.to_string()).unwrap();
    if let Some(warnings) = common::cfn_lint_all(&[path]) {
        assert!(warnings.is_empty(), "{warnings:#?}");
    }
    let e = site("eu-west-1").err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.starts_with("Site/Cdn: certificate Site/Cert is requested in eu-west-1; CloudFront takes certificates from us-east-1 only"), "{e}");
    // Imported by an ARN that is a token, in a stack of another region: its region is not known
    // here, so it is not refused (the check says "cannot verify").
    let app = App::new();
    let stack = Stack::with_props(&app, "Eu", StackProps::new().env(Environment::region("eu-west-1"))).unwrap();
    let arn = ironcdk::Parameter::new(&stack, "CertArn", ironcdk::ParameterProps::new(ironcdk::ParameterType::String)).unwrap();
    let cert = Certificate::from_certificate_arn(&stack, "Cert", arn.value_as_string()).unwrap();
    let origin = BehaviorOptions::new(Origin::Http("origin.example.com".into()));
    Distribution::new(&stack, "Cdn", DistributionProps::new(origin).domain_names_with_certificate(["www.example.com"], &cert)).unwrap();
}

/// Uploads announced through EventBridge, as a new user writes it with CDK: the bucket sends
/// its events to EventBridge, a rule matches the bucket's objects by name and sends them to a
/// queue, and a schedule sends to the same queue. As aws-cdk-lib 2.276 writes it (read off its
/// synth of the same program), but for the bucket's EventBridge switch, written in the bucket
/// (CDK sets it with its notifications custom resource). A queue with a key of yours admits
/// the account and lets EventBridge use the key; a FIFO queue gets its message group.
#[test]
fn eventbridge_rules_send_bucket_events_and_schedules_to_queues() {
    use ironcdk::events::{EventPattern, Rule, RuleProps, Schedule, SqsQueueTargetProps};
    use serde_json::json;
    let app = App::new();
    let stack = Stack::new(&app, "Eb").unwrap();
    let bucket = Bucket::new(&stack, "Uploads", BucketProps::new().event_bridge_enabled(true)).unwrap();
    let q = Queue::new(&stack, "Work", QueueProps::new()).unwrap();
    let created = Rule::new(&stack, "Created", RuleProps::new().event_pattern(EventPattern::source(["aws.s3"]).detail_type(["Object Created"]).detail_field("bucket.name", [bucket.bucket_name()]))).unwrap();
    created.add_sqs_target(&q, SqsQueueTargetProps::new()).unwrap();
    let hourly = Rule::new(&stack, "Hourly", RuleProps::new().schedule(Schedule::rate(Duration::hours(1)))).unwrap();
    hourly.add_sqs_target(&q, SqsQueueTargetProps::new()).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let r = &t["Resources"];
    assert_eq!(r["Uploads4F6EB0FD"]["Properties"]["NotificationConfiguration"], json!({"EventBridgeConfiguration": {"EventBridgeEnabled": true}}));
    assert_eq!(r["CreatedC1BBC76F"]["Properties"], json!({"EventPattern": {"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"bucket": {"name": [{"Ref": "Uploads4F6EB0FD"}]}}},
        "State": "ENABLED", "Targets": [{"Arn": {"Fn::GetAtt": ["WorkBF636A8B", "Arn"]}, "Id": "Target0"}]}));
    let from_rule = |rule: &str| json!({"Action": ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"], "Condition": {"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": [rule, "Arn"]}}},
        "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Resource": {"Fn::GetAtt": ["WorkBF636A8B", "Arn"]}});
    assert_eq!(r["WorkPolicyF095EBA3"]["Properties"], json!({"PolicyDocument": {"Statement": [from_rule("CreatedC1BBC76F"), from_rule("HourlyF36A3822")], "Version": "2012-10-17"}, "Queues": [{"Ref": "WorkBF636A8B"}]}));

    // A key of yours, and a FIFO queue with its message group.
    let app = App::new();
    let stack = Stack::new(&app, "Ek").unwrap();
    let secret = Queue::new(&stack, "Secret", QueueProps::new().encryption(QueueEncryption::Kms)).unwrap();
    let ordered = Queue::new(&stack, "Ordered", QueueProps::new().fifo(true)).unwrap();
    let tick = Rule::new(&stack, "Tick", RuleProps::new().schedule(Schedule::rate(Duration::minutes(5)))).unwrap();
    tick.add_sqs_target(&secret, SqsQueueTargetProps::new()).unwrap();
    tick.add_sqs_target(&ordered, SqsQueueTargetProps::new().message_group_id("ticks")).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let r = &t["Resources"];
    let account = json!({"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}});
    assert_eq!(r["SecretKeyBCA64351"]["Properties"]["KeyPolicy"]["Statement"][1], json!({"Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"], "Condition": account, "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Resource": "*"}));
    assert_eq!(r["SecretPolicy06C9821C"]["Properties"]["PolicyDocument"]["Statement"][0]["Condition"], account);
    assert_eq!(r["Tick6513F4AE"]["Properties"]["Targets"][1], json!({"Arn": {"Fn::GetAtt": ["Ordered2860FFBE", "Arn"]}, "Id": "Target1", "SqsParameters": {"MessageGroupId": "ticks"}}));

    // Refused as EventBridge refuses or fails.
    let app = App::new();
    let stack = Stack::new(&app, "R").unwrap();
    let rule = Rule::new(&stack, "Tick", RuleProps::new().schedule(Schedule::rate(Duration::minutes(5)))).unwrap();
    let fifo = Queue::new(&stack, "Fifo", QueueProps::new().fifo(true)).unwrap();
    let plain = Queue::new(&stack, "Plain", QueueProps::new()).unwrap();
    let managed = Queue::new(&stack, "Managed", QueueProps::new().encryption(QueueEncryption::KmsManaged)).unwrap();
    let e = err(rule.add_sqs_target(&fifo, SqsQueueTargetProps::new()));
    assert!(e.starts_with("R/Tick: FIFO queue R/Fifo needs a message group"), "{e}");
    assert!(err(rule.add_sqs_target(&plain, SqsQueueTargetProps::new().message_group_id("g"))).contains("is not FIFO"));
    assert!(err(rule.add_sqs_target(&managed, SqsQueueTargetProps::new())).contains("alias/aws/sqs, whose policy EventBridge cannot use"));
    let e = err(Rule::new(&stack, "Twice", RuleProps::new().event_pattern(EventPattern::source(["aws.s3"]).detail_field("bucket.name", ["a"]).detail_field("bucket.name", ["b"]))));
    assert!(e.contains("detail field 'bucket.name' is given twice"), "{e}");
    let e = err(Rule::new(&stack, "Through", RuleProps::new().event_pattern(EventPattern::source(["aws.s3"]).detail(json!({"bucket": ["x"]})).detail_field("bucket.name", ["b"]))));
    assert!(e.contains("goes through a value that is not an object"), "{e}");
    assert!(err(Rule::new(&stack, "Empty", RuleProps::new().event_pattern(EventPattern::source(["aws.s3"]).detail_field("bucket..name", ["b"])))).contains("dotted path"));
    // Fields merge into a detail given as JSON.
    Rule::new(&stack, "Merged", RuleProps::new().event_pattern(EventPattern::source(["aws.s3"]).detail(json!({"object": {"key": [{"prefix": "in/"}]}})).detail_field("bucket.name", ["b"]))).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let (_, merged) = common::of_type(&t, "AWS::Events::Rule").into_iter().find(|(id, _)| id.starts_with("Merged")).unwrap();
    assert_eq!(merged["Properties"]["EventPattern"]["detail"], json!({"object": {"key": [{"prefix": "in/"}]}, "bucket": {"name": ["b"]}}));
}

/// Existing queues and topics by ARN (CDK's `fromQueueArn`, `fromTopicArn`): grants and event
/// sources name them, and the queue's URL is made from the ARN as aws-cdk-lib 2.276 makes it
/// (read off its synth of the same program). Their policies are not in these templates: what
/// would write one (and so replace the existing policy) is refused naming them, where CDK
/// drops the statement and the delivery fails later.
#[test]
fn existing_queues_and_topics_are_imported_by_arn() {
    use ironcdk::events::{Rule, RuleProps, Schedule, SqsQueueTargetProps};
    use serde_json::json;
    let app = App::new();
    let stack = Stack::new(&app, "Imq").unwrap();
    let jobs = Queue::from_queue_arn(&stack, "Jobs", "arn:aws:sqs:us-east-1:123456789012:jobs").unwrap();
    let ordered = Queue::from_queue_arn(&stack, "Ordered", "arn:aws:sqs:us-east-1:123456789012:ordered.fifo").unwrap();
    let alerts = Topic::from_topic_arn(&stack, "Alerts", "arn:aws:sns:us-east-1:123456789012:alerts").unwrap();
    assert!(ordered.fifo() && !jobs.fifo() && !alerts.fifo());
    let f = Function::new(&stack, "Fn", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", Code::from_inline("x"))
        .environment("QUEUE_URL", jobs.queue_url()).environment("TOPIC", alerts.topic_arn())).unwrap();
    jobs.grant_send_messages(&f).unwrap();
    alerts.grant_publish(&f).unwrap();
    f.add_sqs_event_source(&ordered, SqsEventSourceProps::new()).unwrap();
    // A new queue subscribed to the existing topic: its own policy admits the topic.
    let mine = Queue::new(&stack, "Mine", QueueProps::new()).unwrap();
    alerts.add_subscription(Subscription::sqs(&mine)).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let r = &t["Resources"];
    assert_eq!(r["Fn9270CBC0"]["Properties"]["Environment"]["Variables"], json!({
        "QUEUE_URL": {"Fn::Join": ["", ["https://sqs.us-east-1.", {"Ref": "AWS::URLSuffix"}, "/123456789012/jobs"]]},
        "TOPIC": "arn:aws:sns:us-east-1:123456789012:alerts"}));
    let statements = &r["FnServiceRoleDefaultPolicyC6A839BF"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!((&statements[0]["Resource"], &statements[1]["Resource"], &statements[2]["Resource"]),
        (&json!("arn:aws:sqs:us-east-1:123456789012:jobs"), &json!("arn:aws:sns:us-east-1:123456789012:alerts"), &json!("arn:aws:sqs:us-east-1:123456789012:ordered.fifo")));
    let (_, subscription) = common::of_type(&t, "AWS::SNS::Subscription")[0];
    assert_eq!(subscription["Properties"]["TopicArn"], "arn:aws:sns:us-east-1:123456789012:alerts");
    assert_eq!(common::of_type(&t, "AWS::SQS::QueuePolicy").len(), 1, "the new queue's only");
    assert!(common::of_type(&t, "AWS::SNS::TopicPolicy").is_empty() && common::of_type(&t, "AWS::SNS::Topic").is_empty());

    // What would write their policies is refused naming them.
    let app = App::new();
    let stack = Stack::new(&app, "R").unwrap();
    let jobs = Queue::from_queue_arn(&stack, "Jobs", "arn:aws:sqs:us-east-1:123456789012:jobs").unwrap();
    let alerts = Topic::from_topic_arn(&stack, "Alerts", "arn:aws:sns:us-east-1:123456789012:alerts").unwrap();
    let topic = Topic::new(&stack, "Topic", TopicProps::new()).unwrap();
    let e = topic.add_subscription(Subscription::sqs(&jobs)).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.starts_with("R/Jobs: the queue is imported, so its policy is not in these templates"), "{e}");
    let bucket = Bucket::new(&stack, "Bucket", BucketProps::new()).unwrap();
    let e = bucket.add_event_notification(EventType::ObjectCreated, NotificationDestination::Topic(alerts.clone()), NotificationKeyFilter::default()).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.starts_with("R/Alerts: the topic is imported, so its policy is not in these templates"), "{e}");
    let rule = Rule::new(&stack, "Tick", RuleProps::new().schedule(Schedule::rate(Duration::minutes(5)))).unwrap();
    assert!(rule.add_sqs_target(&jobs, SqsQueueTargetProps::new()).err().map(|e| e.to_string()).unwrap_or_default().contains("the queue is imported"));
    assert!(Queue::from_queue_arn(&stack, "Bad", "arn:aws:sns:us-east-1:123456789012:x").err().map(|e| e.to_string()).unwrap_or_default().contains("is not an SQS queue ARN"));
    assert!(Topic::from_topic_arn(&stack, "Bad2", "jobs").err().map(|e| e.to_string()).unwrap_or_default().contains("is not an SNS topic ARN"));
}

/// Alarms on a function's errors and a dead-letter queue's depth, notifying a topic, as
/// aws-cdk-lib 2.276 writes them (read off its synth of the same program): the metrics' default
/// statistics (sums of errors, the maximum of queue depth), percentiles as `ExtendedStatistic`,
/// and CloudWatch's refusals named at the alarm.
#[test]
fn alarms_on_function_and_queue_metrics_notify_a_topic() {
    use ironcdk::cloudwatch::{Alarm, AlarmProps, ComparisonOperator, Metric, Statistic, TreatMissingData};
    use serde_json::json;
    let app = App::new();
    let stack = Stack::new(&app, "Alarms").unwrap();
    let f = Function::new(&stack, "Fn", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", Code::from_inline("x"))).unwrap();
    let dlq = Queue::new(&stack, "Dlq", QueueProps::new()).unwrap();
    let ops = Topic::new(&stack, "Ops", TopicProps::new()).unwrap();
    Alarm::new(&stack, "Errors", AlarmProps::new(f.metric_errors(), 1.0, 1)).unwrap().add_alarm_action(&ops);
    let depth = Alarm::new(&stack, "DlqDepth", AlarmProps::new(dlq.metric_approximate_number_of_messages_visible(), 1.0, 1)
        .treat_missing_data(TreatMissingData::NotBreaching).alarm_description("messages in the DLQ")).unwrap();
    depth.add_alarm_action(&ops);
    depth.add_ok_action(&ops);
    Alarm::new(&stack, "Slow", AlarmProps::new(f.metric_duration().statistic(Statistic::Percentile(99.0)).period(Duration::minutes(1)), 1000.0, 3).datapoints_to_alarm(2).alarm_name("fn-slow")).unwrap();
    Alarm::new(&stack, "Custom", AlarmProps::new(Metric::new("MyApp", "Orders").dimension("Stage", "prod").statistic(Statistic::Sum).period(Duration::minutes(15)), 10.0, 2)
        .comparison_operator(ComparisonOperator::LessThanOrEqualToThreshold)).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let r = &t["Resources"];
    let by_function = json!([{"Name": "FunctionName", "Value": {"Ref": "Fn9270CBC0"}}]);
    assert_eq!(r["ErrorsFA5270DE"]["Properties"], json!({"AlarmActions": [{"Ref": "OpsA097D252"}], "ComparisonOperator": "GreaterThanOrEqualToThreshold", "Dimensions": by_function,
        "EvaluationPeriods": 1, "MetricName": "Errors", "Namespace": "AWS/Lambda", "Period": 300, "Statistic": "Sum", "Threshold": 1}));
    assert_eq!(r["DlqDepth04F13822"]["Properties"], json!({"AlarmActions": [{"Ref": "OpsA097D252"}], "AlarmDescription": "messages in the DLQ", "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": ["DlqD1FAA4AD", "QueueName"]}}], "EvaluationPeriods": 1, "MetricName": "ApproximateNumberOfMessagesVisible", "Namespace": "AWS/SQS",
        "OKActions": [{"Ref": "OpsA097D252"}], "Period": 300, "Statistic": "Maximum", "Threshold": 1, "TreatMissingData": "notBreaching"}));
    assert_eq!(r["SlowACAFBC61"]["Properties"], json!({"AlarmName": "fn-slow", "ComparisonOperator": "GreaterThanOrEqualToThreshold", "DatapointsToAlarm": 2, "Dimensions": by_function,
        "EvaluationPeriods": 3, "ExtendedStatistic": "p99", "MetricName": "Duration", "Namespace": "AWS/Lambda", "Period": 60, "Threshold": 1000}));
    assert_eq!(r["Custom8166710A"]["Properties"], json!({"ComparisonOperator": "LessThanOrEqualToThreshold", "Dimensions": [{"Name": "Stage", "Value": "prod"}], "EvaluationPeriods": 2,
        "MetricName": "Orders", "Namespace": "MyApp", "Period": 900, "Statistic": "Sum", "Threshold": 10}));
    // Refused as CloudWatch refuses.
    let err = |id: &str, p: AlarmProps| Alarm::new(&stack, id, p).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err("A", AlarmProps::new(f.metric_errors().period(Duration::seconds(45)), 1.0, 1)).starts_with("Alarms/A: a period of 45 s is not one CloudWatch takes"));
    assert!(err("B", AlarmProps::new(f.metric_errors(), 1.0, 0)).contains("evaluation_periods must be at least 1"));
    assert!(err("C", AlarmProps::new(f.metric_errors(), 1.0, 2).datapoints_to_alarm(3)).contains("datapoints_to_alarm 3 must be 1 to evaluation_periods (2)"));
    assert!(err("D", AlarmProps::new(f.metric_duration().statistic(Statistic::Percentile(100.0)), 1.0, 1)).contains("percentile 100 is outside"));
    assert!(err("E", AlarmProps::new(f.metric_errors(), f64::NAN, 1)).contains("finite"));
    assert!(err("F", AlarmProps::new(Metric::new("", "x"), 1.0, 1)).contains("namespace and name"));
}

#[test]
fn a_distribution_refuses_what_cloudfront_refuses() {
    use ironcdk::cloudfront::{BehaviorOptions, Distribution, DistributionProps, ErrorResponse, Origin};
    let app = App::new();
    let s = Stack::new(&app, "S").unwrap();
    let origin = || BehaviorOptions::new(Origin::Http("origin.example.com".into()));
    let e = err(Distribution::new(&s, "A", DistributionProps::new(origin()).domain_names(["www.example.com"], "arn:aws:acm:eu-west-1:123456789012:certificate/abc")));
    assert!(e.contains("S/A") && e.contains("is in eu-west-1; CloudFront takes certificates from us-east-1 only"), "{e}");
    let e = err(Distribution::new(&s, "B", DistributionProps::new(origin()).domain_names(["www.example.com"], "arn:aws:iam::123456789012:server-certificate/x")));
    assert!(e.contains("not an ACM certificate ARN"), "{e}");
    let e = err(Distribution::new(&s, "C", DistributionProps::new(origin()).default_root_object("/index.html")));
    assert!(e.contains("without a leading '/'"), "{e}");
    let e = err(Distribution::new(&s, "D", DistributionProps::new(origin()).error_responses(vec![ErrorResponse::new(200)])));
    assert!(e.contains("not an error status"), "{e}");
    let imported = Bucket::from_bucket_name(&s, "Existing", "an-existing-bucket").unwrap();
    let e = err(Distribution::new(&s, "E", DistributionProps::new(BehaviorOptions::new(Origin::s3_with_origin_access_control(&imported)))));
    assert!(e.contains("imported"), "{e}");
    let e = err(Distribution::new(&s, "F", DistributionProps::new(BehaviorOptions::new(Origin::Http("https://origin.example.com".into())))));
    assert!(e.contains("must be a domain name"), "{e}");
}

/// Keys of yours: a topic's messages encrypted with one, a queue with its own key (made as
/// CDK makes it), the grants including the key, and notifications to such destinations with
/// the key policy statements aws-cdk-lib 2.276 adds for S3 (read off its synth of the same
/// program; only the queue statement's condition differs: CDK names the bucket's ARN, which
/// here would be a cycle, so it names the account).
#[test]
fn keys_of_your_own_encrypt_topics_and_queues_and_their_grants_include_them() {
    use ironcdk::kms::{Key, KeyProps};
    let app = App::new();
    let s = Stack::new(&app, "S").unwrap();
    let key = Key::new(&s, "Key", KeyProps::new()).unwrap();
    let topic = Topic::new(&s, "Topic", TopicProps::new().master_key(&key)).unwrap();
    let queue = Queue::new(&s, "Queue", QueueProps::new().encryption(QueueEncryption::Kms)).unwrap();
    let f = Function::new(&s, "Fn", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", Code::from_inline("x"))).unwrap();
    queue.grant_send_messages(&f).unwrap();
    topic.add_subscription(Subscription::sqs(&queue)).unwrap();
    let bucket = Bucket::new(&s, "Bucket", BucketProps::new()).unwrap();
    bucket.add_event_notification(EventType::ObjectCreated, NotificationDestination::Topic(topic.clone()), NotificationKeyFilter::default()).unwrap();
    bucket.add_event_notification(EventType::ObjectRemoved, NotificationDestination::Queue(queue.clone()), NotificationKeyFilter::default()).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let s3 = serde_json::json!({"Service": "s3.amazonaws.com"});
    let (_, k) = common::of_type(&t, "AWS::KMS::Key").into_iter().find(|(id, _)| id.starts_with("Key")).unwrap();
    assert_eq!(k["Properties"]["KeyPolicy"]["Statement"][1], serde_json::json!({"Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Effect": "Allow", "Principal": s3, "Resource": "*"}));
    let (_, qk) = common::of_type(&t, "AWS::KMS::Key").into_iter().find(|(id, _)| id.starts_with("QueueKey")).unwrap();
    let qs = qk["Properties"]["KeyPolicy"]["Statement"].as_array().unwrap();
    assert_eq!(qs.len(), 4, "{qs:#?}");
    assert_eq!(qs[2], serde_json::json!({"Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
        "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}, "Effect": "Allow", "Principal": s3, "Resource": "*"}));
    assert_eq!(qs[3], serde_json::json!({"Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Effect": "Allow", "Principal": s3, "Resource": "*"}));
    // cfn-lint and cloudformation-validate accept it, and CloudFormation can order it: the
    // bucket waits for both destination policies, and nothing names the bucket.
    let dir = common::temp_dir("storage-keys");
    let paths = common::write_templates(&dir, &[("keys", app)]);
    if let Some(warnings) = common::cfn_lint_all(&paths) {
        assert!(warnings.iter().all(|w| common::is_cdk_lambda_role_dependency(w)), "{warnings:#?}");
    }
    let (key_id, _) = common::of_type(&t, "AWS::KMS::Key").into_iter().find(|(id, _)| id.starts_with("Key")).unwrap();
    let (_, tp) = common::of_type(&t, "AWS::SNS::Topic")[0];
    assert_eq!(tp["Properties"]["KmsMasterKeyId"], serde_json::json!({"Fn::GetAtt": [key_id, "Arn"]}));
    let (queue_key, qk) = common::of_type(&t, "AWS::KMS::Key").into_iter().find(|(id, _)| id.starts_with("QueueKey")).unwrap();
    assert_eq!(qk["Properties"]["Description"], "Created by S/Queue");
    let statements = qk["Properties"]["KeyPolicy"]["Statement"].as_array().unwrap();
    assert_eq!(statements[1]["Principal"], serde_json::json!({"Service": "sns.amazonaws.com"}), "SNS may use the queue's key");
    let policy = common::of_type(&t, "AWS::IAM::Policy")[0].1.to_string();
    assert!(policy.contains("kms:GenerateDataKey*") && policy.contains(queue_key.as_str()), "{policy}");
}
