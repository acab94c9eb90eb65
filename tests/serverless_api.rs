//! The serverless example (a Rust Lambda function from a local asset, an HTTP API route, a
//! DynamoDB table with a grant) and Lambda assets: CDK's content hash, the copy in the
//! assembly, `<Stack>.assets.json`, and both deploy paths against moto.
//!
//! What moto does not model: it stores the function's code and creates every resource, but no
//! invoke here runs the `bootstrap` (that needs Docker), so the deploys prove that the
//! templates, the asset publishing and the packaging are accepted, not that the handler runs.

mod common;

#[allow(dead_code)]
#[path = "../examples/serverless_api.rs"]
mod serverless_api;

use ironcdk::lambda::{Code, Function, FunctionProps, Runtime};
use ironcdk::{App, Stack, StackProps};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures/lambda").join(name)
}

/// A stack with one OS-only function whose code is `code`, synthesized to `dir/cdk.out`.
fn function_app(dir: &Path, code: Code) -> ironcdk::Result<ironcdk::Assembly> {
    let app = App::with_outdir(dir.join("cdk.out"));
    let stack = Stack::new(&app, "Fn")?;
    Function::new(&stack, "Handler", FunctionProps::new(Runtime::PROVIDED_AL2023, "bootstrap", code))?;
    app.synth()
}

fn s3_key(assembly: &ironcdk::Assembly) -> String {
    let t = assembly.stacks[0].template();
    let (_, f) = common::of_type(&t, "AWS::Lambda::Function")[0];
    f["Properties"]["Code"]["S3Key"].as_str().unwrap().to_string()
}

#[test]
fn the_example_ships_its_code_as_an_asset_in_the_cloud_assembly() {
    let dir = common::temp_dir("serverless-example");
    let app = App::with_outdir(dir.join("cdk.out"));
    serverless_api::serverless_api(&app).unwrap();
    let a = app.synth().unwrap();
    let s = a.stack("ServerlessApi").unwrap();
    // aws-cdk-lib 2.276 gives the placeholder directory this hash (the parity twin checks the
    // whole template; this pins the number the README quotes).
    let hash = "e53c40fc26601522e8880e245770a79a131bc69fcfd510b672ceef30489095a1";
    let t = s.template();
    let (_, f) = common::of_type(&t, "AWS::Lambda::Function")[0];
    assert_eq!(f["Properties"]["Code"]["S3Bucket"], serde_json::json!({"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"}));
    assert_eq!(f["Properties"]["Code"]["S3Key"], format!("{hash}.zip"));
    assert_eq!(f["Metadata"]["aws:asset:path"], format!("asset.{hash}"));
    assert_eq!(f["Properties"]["Architectures"], serde_json::json!(["arm64"]));

    // The copy, byte for byte, with its mode.
    let staged = dir.join("cdk.out").join(format!("asset.{hash}/bootstrap"));
    let original = common::root().join("examples/serverless_api/placeholder/bootstrap");
    assert_eq!(std::fs::read(&staged).unwrap(), std::fs::read(&original).unwrap());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&staged).unwrap().permissions().mode() & 0o111, 0o111, "bootstrap stays executable");
    }

    // The asset manifest the CDK CLI publishes from, and the stack's dependency on it.
    let assets: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("cdk.out/ServerlessApi.assets.json")).unwrap()).unwrap();
    let file = &assets["files"][hash];
    assert_eq!(file["source"], serde_json::json!({"path": format!("asset.{hash}"), "packaging": "zip"}));
    assert_eq!(file["displayName"], "Handler/Code");
    let dest = file["destinations"].as_object().unwrap().values().next().unwrap();
    assert_eq!(dest["bucketName"], "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}");
    assert_eq!(dest["objectKey"], format!("{hash}.zip"));
    assert!(dest.get("assumeRoleArn").is_none(), "no bootstrap role: the CLI's own credentials publish");
    let m = a.manifest();
    assert_eq!(m["artifacts"]["ServerlessApi.assets"]["type"], "cdk:asset-manifest");
    assert_eq!(m["artifacts"]["ServerlessApi"]["dependencies"], serde_json::json!(["ServerlessApi.assets"]));

    // The template `aws cloudformation package` reads: the Code names the copy.
    let package: serde_json::Value = serde_json::from_str(s.package_template_json.as_deref().unwrap()).unwrap();
    let (_, f) = common::of_type(&package, "AWS::Lambda::Function")[0];
    assert_eq!(f["Properties"]["Code"], format!("asset.{hash}"));
    assert!(s.deploy_command().starts_with("aws cloudformation package --template-file "), "{}", s.deploy_command());

    // Lint clean. One warning is CDK's form, kept for parity: the function waits for its role
    // by `DependsOn` as well as by the role's `Fn::GetAtt` (W3005), so that the role's policy
    // is in place first too.
    if let Some(warnings) = common::cfn_lint_all(&[s.template_path.clone()]) {
        let unexpected: Vec<&String> = warnings.iter().filter(|w| !common::is_cdk_lambda_role_dependency(w)).collect();
        assert!(unexpected.is_empty(), "{unexpected:#?}");
    }
}

#[test]
fn the_hash_follows_the_content_and_nothing_else() {
    let dir = common::temp_dir("asset-hash");
    let code = dir.join("code");
    std::fs::create_dir_all(code.join("lib")).unwrap();
    std::fs::copy(common::root().join("examples/serverless_api/placeholder/bootstrap"), code.join("bootstrap")).unwrap();
    std::fs::write(code.join("lib/config.json"), "{\"greeting\": \"hello\"}\n").unwrap();
    let first = s3_key(&function_app(&dir.join("1"), Code::from_asset(&code)).unwrap());

    // Nothing changed (a new synth, and a touched file): the same hash.
    let file = std::fs::File::options().append(true).open(code.join("lib/config.json")).unwrap();
    file.set_modified(std::time::SystemTime::now()).unwrap();
    assert_eq!(s3_key(&function_app(&dir.join("2"), Code::from_asset(&code)).unwrap()), first);
    // CRLF line endings hash as LF, as CDK hashes them.
    std::fs::write(code.join("lib/config.json"), "{\"greeting\": \"hello\"}\r\n").unwrap();
    assert_eq!(s3_key(&function_app(&dir.join("3"), Code::from_asset(&code)).unwrap()), first);

    // One byte of one file changed: a new hash, and a new copy beside the template.
    std::fs::write(code.join("lib/config.json"), "{\"greeting\": \"hellO\"}\n").unwrap();
    let changed = s3_key(&function_app(&dir.join("4"), Code::from_asset(&code)).unwrap());
    assert_ne!(changed, first);
    let staged = dir.join("4/cdk.out").join(format!("asset.{}", changed.trim_end_matches(".zip")));
    assert_eq!(std::fs::read_to_string(staged.join("lib/config.json")).unwrap(), "{\"greeting\": \"hellO\"}\n");
    // A renamed file is a change too.
    std::fs::rename(code.join("lib/config.json"), code.join("lib/settings.json")).unwrap();
    let renamed = s3_key(&function_app(&dir.join("5"), Code::from_asset(&code)).unwrap());
    assert!(renamed != first && renamed != changed);

    // A second synth into the same directory replaces the old copy with the new one.
    let again = function_app(&dir.join("4"), Code::from_asset(&code)).unwrap();
    let names: Vec<String> = std::fs::read_dir(dir.join("4/cdk.out")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with("asset.")).collect();
    assert_eq!(names, [format!("asset.{}", s3_key(&again).trim_end_matches(".zip"))]);
}

#[test]
fn a_zip_is_shipped_as_it_is_under_cdks_hash() {
    let dir = common::temp_dir("asset-zip");
    let a = function_app(&dir, Code::from_asset(fixture("bootstrap.zip"))).unwrap();
    // aws-cdk-lib 2.276's fingerprint of tests/fixtures/lambda/bootstrap.zip.
    let hash = "22c23c119fce2b5e66676cb5076021f4efa0fb13d33f48d6a502a7e35c2672f9";
    assert_eq!(s3_key(&a), format!("{hash}.zip"));
    let staged = dir.join("cdk.out").join(format!("asset.{hash}.zip"));
    assert_eq!(std::fs::read(staged).unwrap(), std::fs::read(fixture("bootstrap.zip")).unwrap());
    let assets: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("cdk.out/Fn.assets.json")).unwrap()).unwrap();
    assert_eq!(assets["files"][hash]["source"], serde_json::json!({"path": format!("asset.{hash}.zip"), "packaging": "file"}));
}

#[test]
fn one_asset_used_twice_is_copied_once_and_a_bucket_of_ones_own_is_used() {
    let dir = common::temp_dir("asset-twice");
    let app = App::with_outdir(dir.join("cdk.out"));
    let stack = Stack::with_props(&app, "Fn", StackProps::new().file_assets_bucket_name("my-artifacts-${AWS::Region}")).unwrap();
    for id in ["A", "B"] {
        Function::new(&stack, id, FunctionProps::new(Runtime::PROVIDED_AL2023, "bootstrap", Code::from_asset(fixture("bootstrap.zip")))).unwrap();
    }
    let a = app.synth().unwrap();
    assert_eq!(a.assets().len(), 1);
    let assets: serde_json::Value = serde_json::from_str(&a.asset_manifests[0].1).unwrap();
    assert_eq!(assets["files"].as_object().unwrap().len(), 1);
    let t = a.stacks[0].template();
    for (_, f) in common::of_type(&t, "AWS::Lambda::Function") {
        assert_eq!(f["Properties"]["Code"]["S3Bucket"], serde_json::json!({"Fn::Sub": "my-artifacts-${AWS::Region}"}));
    }
    let err = Stack::with_props(&App::new(), "Bad", StackProps::new().file_assets_bucket_name("My_Bucket")).err().unwrap().to_string();
    assert!(err.contains("not an S3 bucket name"), "{err}");
}

#[test]
fn bad_code_is_refused_naming_the_function_and_the_fix() {
    let dir = common::temp_dir("asset-errors");
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let not_zip = dir.join("code.zip");
    std::fs::write(&not_zip, "#!/bin/sh\necho hi\n").unwrap();
    let text = dir.join("bootstrap");
    std::fs::write(&text, "#!/bin/sh\n").unwrap();
    let empty_zip = dir.join("empty.zip");
    // The end-of-central-directory record alone: a zip with no entry.
    let mut eocd = b"PK\x05\x06".to_vec();
    eocd.extend_from_slice(&[0u8; 18]);
    std::fs::write(&empty_zip, eocd).unwrap();
    let no_bootstrap = dir.join("no-bootstrap");
    std::fs::create_dir_all(&no_bootstrap).unwrap();
    std::fs::write(no_bootstrap.join("main"), "x").unwrap();
    let cases: Vec<(Code, &str)> = vec![
        (Code::from_asset(dir.join("missing")), "does not exist"),
        (Code::from_asset(&empty), "holds no file"),
        (Code::from_asset(&not_zip), "is not a zip archive"),
        (Code::from_asset(&text), "neither a directory nor a .zip or .jar"),
        (Code::from_asset(&empty_zip), "empty zip"),
        (Code::from_asset(&no_bootstrap), "has none (it holds main)"),
        (Code::from_asset(fixture("nested.zip")), "has none (it holds handler)"),
        (Code::from_cargo_lambda(dir.join("project"), "api"), "run `cargo lambda build --release --output-format zip --bin api`"),
        #[cfg(unix)]
        (Code::from_asset("/dev/null"), "neither a directory nor a regular file"),
    ];
    for (code, expected) in cases {
        let err = function_app(&dir.join("out"), code).err().expect("refused").to_string();
        assert!(err.contains("Fn/Handler") && err.contains(expected), "{expected}: {err}");
    }
    assert!(!dir.join("out/cdk.out").exists(), "nothing was written");
}

#[cfg(unix)]
#[test]
fn special_files_and_link_loops_are_read_within_bounds() {
    let dir = common::temp_dir("asset-bounds");
    let code = dir.join("code");
    std::fs::create_dir_all(&code).unwrap();
    std::fs::write(code.join("bootstrap"), "#!/bin/sh\n").unwrap();
    // A link to the directory itself (internal: kept as a link, never walked), and one out of
    // it to a directory that links back (walked once).
    std::os::unix::fs::symlink(".", code.join("self")).unwrap();
    std::fs::create_dir_all(dir.join("outside")).unwrap();
    std::os::unix::fs::symlink(&code, dir.join("outside/back")).unwrap();
    std::os::unix::fs::symlink(dir.join("outside"), code.join("out")).unwrap();
    let a = function_app(&dir.join("ok"), Code::from_asset(&code)).unwrap();
    assert!(s3_key(&a).ends_with(".zip"));
    // A link to an endless device is an error, not an endless read.
    std::os::unix::fs::symlink("/dev/zero", code.join("zero")).unwrap();
    let err = function_app(&dir.join("zero"), Code::from_asset(&code)).err().unwrap().to_string();
    assert!(err.contains("neither a file nor a directory"), "{err}");
}

/// Both deploy paths to moto: `cdk deploy --app cdk.out` (the CLI publishes the asset to the
/// bucket with its own credentials, no bootstrap stack), and `aws cloudformation package` +
/// `deploy` (the AWS CLI zips and uploads the copy to a bucket of the user's).
#[test]
fn the_example_deploys_to_moto_with_the_cdk_cli_and_with_the_aws_cli_alone() {
    let dir = common::temp_dir("serverless-deploy");
    let app = App::with_outdir(dir.join("cdk.out"));
    serverless_api::serverless_api(&app).unwrap();
    let a = app.synth().unwrap();
    let s = a.stack("ServerlessApi").unwrap();
    let Some(_) = common::cdk() else { return };
    let Some(moto) = common::Moto::start() else { return };

    // The AWS CLI alone.
    let ok = |o: std::process::Output| {
        assert!(o.status.success(), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        o
    };
    ok(moto.aws(&["s3", "mb", "s3://my-deploy-bucket"]));
    let package = s.package_template_path().unwrap();
    let packaged = dir.join("packaged.json");
    // `package` uploads with an S3 client of its own, which `--endpoint-url` does not reach.
    ok(std::process::Command::new(common::tool("aws").unwrap())
        .args(["cloudformation", "package", "--template-file", package.to_str().unwrap(), "--s3-bucket", "my-deploy-bucket"])
        .args(["--output-template-file", packaged.to_str().unwrap()])
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .output()
        .unwrap());
    let resources = moto.deploy(&packaged, "ServerlessApiPackaged", &s.capabilities);
    let t = s.template();
    // moto creates the API (patched in, tests/moto), the function, role, policy, table, log
    // group and permissions; it has no CloudFormation model for the API's parts.
    assert_eq!(
        common::not_created(&t, &resources),
        ["AWS::ApiGatewayV2::Integration", "AWS::ApiGatewayV2::Route", "AWS::ApiGatewayV2::Route", "AWS::ApiGatewayV2::Stage"]
    );
    let code = ok(moto.aws(&["lambda", "get-function", "--function-name", &function_name(&moto, "ServerlessApiPackaged"), "--query", "Code.Location", "--output", "text"]));
    assert!(!String::from_utf8_lossy(&code.stdout).trim().is_empty());

    // The CDK CLI: publishes the asset to the bootstrap-named bucket, then deploys.
    ok(moto.aws(&["s3", "mb", "s3://cdk-hnb659fds-assets-123456789012-us-east-1"]));
    let Some(_) = common::cdk_run(&["deploy", "--app", "cdk.out", "--require-approval", "never", "ServerlessApi"], &dir, Some(&moto.endpoint)) else { return };
    let key = s3_key(&a);
    let listed = ok(moto.aws(&["s3api", "head-object", "--bucket", "cdk-hnb659fds-assets-123456789012-us-east-1", "--key", &key]));
    assert!(String::from_utf8_lossy(&listed.stdout).contains("ContentLength"), "the CLI uploaded {key}");
    let status = moto.aws(&["cloudformation", "describe-stacks", "--stack-name", "ServerlessApi", "--query", "Stacks[0].StackStatus", "--output", "text"]);
    assert_eq!(String::from_utf8_lossy(&status.stdout).trim(), "CREATE_COMPLETE");
}

/// The physical name of the stack's function.
fn function_name(moto: &common::Moto, stack: &str) -> String {
    let out = moto.aws(&[
        "cloudformation", "describe-stack-resources", "--stack-name", stack,
        "--query", "StackResources[?ResourceType=='AWS::Lambda::Function'].PhysicalResourceId", "--output", "text",
    ]);
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// What Lambda or CDK refuses about placement and permissions is an error naming the function.
/// X-Ray tracing and a dead-letter queue made for the function, as aws-cdk-lib 2.276 writes
/// them (read off its synth of `new lambda.Function(stack, 'A', { ..., tracing: ACTIVE,
/// deadLetterQueueEnabled: true })` with a read grant after): the queue under the function,
/// the send statement first, the X-Ray one after it, then the grant. A given queue or topic is
/// written as its ARN; no tracing writes nothing.
#[test]
fn tracing_and_dead_letter_destinations_as_cdk_writes_them() {
    use ironcdk::dynamodb::{Attribute, AttributeType, Table, TableProps};
    use ironcdk::lambda::Tracing;
    use ironcdk::sns::{Topic, TopicProps};
    use ironcdk::sqs::{Queue, QueueProps};
    use serde_json::json;
    let app = App::new();
    let stack = Stack::new(&app, "Fns").unwrap();
    let code = || Code::from_inline("def handler(e, c):\n    return 1\n");
    let table = Table::new(&stack, "T", TableProps::new(Attribute::new("pk", AttributeType::String))).unwrap();
    let a = Function::new(&stack, "A", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", code()).tracing(Tracing::Active).dead_letter_queue_enabled(true)).unwrap();
    table.grant_read_data(&a).unwrap();
    let q = Queue::new(&stack, "Dlq", QueueProps::new()).unwrap();
    Function::new(&stack, "B", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", code()).dead_letter_queue(&q).tracing(Tracing::PassThrough)).unwrap();
    let t = Topic::new(&stack, "DlTopic", TopicProps::new()).unwrap();
    Function::new(&stack, "C", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", code()).dead_letter_topic(&t).tracing(Tracing::Disabled)).unwrap();
    let tpl = app.synth_in_memory().unwrap().stacks[0].template();
    let r = &tpl["Resources"];
    assert_eq!(r["ADeadLetterQueue4FDAD0E5"]["Properties"], json!({"MessageRetentionPeriod": 1209600}));
    let dlq_arn = json!({"Fn::GetAtt": ["ADeadLetterQueue4FDAD0E5", "Arn"]});
    assert_eq!(r["ACCC8ACD5"]["Properties"]["DeadLetterConfig"], json!({"TargetArn": dlq_arn}));
    assert_eq!(r["ACCC8ACD5"]["Properties"]["TracingConfig"], json!({"Mode": "Active"}));
    assert_eq!(r["AServiceRoleDefaultPolicyFE9AF998"]["Properties"]["PolicyDocument"]["Statement"], json!([
        {"Action": "sqs:SendMessage", "Effect": "Allow", "Resource": dlq_arn},
        {"Action": ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], "Effect": "Allow", "Resource": "*"},
        {"Action": ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:Query", "dynamodb:Scan"],
         "Effect": "Allow", "Resource": {"Fn::GetAtt": ["TD925BC7E", "Arn"]}},
    ]));
    let of = |prefix: &str| r.as_object().unwrap().iter().find(|(k, v)| k.starts_with(prefix) && v["Type"] == "AWS::Lambda::Function").map(|(_, v)| v["Properties"].clone()).unwrap();
    let (b, c) = (of("B"), of("C"));
    assert_eq!((&b["DeadLetterConfig"]["TargetArn"]["Fn::GetAtt"][1], &b["TracingConfig"]), (&json!("Arn"), &json!({"Mode": "PassThrough"})));
    assert_eq!((&c["DeadLetterConfig"]["TargetArn"]["Ref"], c.get("TracingConfig")), (&json!("DlTopicA172BC70"), None));
    let statements = |role_policy: &str| r[role_policy]["Properties"]["PolicyDocument"]["Statement"].clone();
    assert_eq!(statements("CServiceRoleDefaultPolicy49FE2A44")[0]["Action"], "sns:Publish");
    // Turned off again, nothing is written.
    let app = App::new();
    let stack = Stack::new(&app, "Off").unwrap();
    Function::new(&stack, "D", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", code()).dead_letter_queue(&Queue::new(&stack, "Q", QueueProps::new()).unwrap()).dead_letter_queue_enabled(false)).unwrap();
    let tpl = app.synth_in_memory().unwrap().stacks[0].template();
    assert!(tpl["Resources"].as_object().unwrap().values().all(|v| v["Properties"].get("DeadLetterConfig").is_none() && v["Type"] != "AWS::IAM::Policy"));
}

/// Existing tables, by name or ARN (CDK's `fromTableName`, `fromTableArn`): their names are
/// literals and grants name their ARNs, as aws-cdk-lib 2.276 writes them (read off its synth of
/// the same programs: the stack's region and account where known, `AWS::Region` and
/// `AWS::AccountId` otherwise, and no index ARN). What is not known of them is an error naming
/// the table.
#[test]
fn existing_tables_are_imported_by_name_or_arn_and_granted() {
    use ironcdk::dynamodb::{Attribute, AttributeType, GlobalSecondaryIndexProps, Table};
    use ironcdk::iam::{Principal, Role, RoleProps};
    use ironcdk::Environment;
    use serde_json::json;
    let app = App::new();
    let stack = Stack::new(&app, "Imp").unwrap();
    let orders = Table::from_table_name(&stack, "Orders", "orders").unwrap();
    let users = Table::from_table_arn(&stack, "Users", "arn:aws:dynamodb:us-east-1:123456789012:table/users").unwrap();
    let f = Function::new(&stack, "Fn", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", Code::from_inline("x"))
        .environment("ORDERS", orders.table_name()).environment("USERS", users.table_name())).unwrap();
    orders.grant_read_data(&f).unwrap();
    users.grant_read_write_data(&f).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let r = &t["Resources"];
    assert_eq!(r["Fn9270CBC0"]["Properties"]["Environment"], json!({"Variables": {"ORDERS": "orders", "USERS": "users"}}));
    let statements = &r["FnServiceRoleDefaultPolicyC6A839BF"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(statements[0]["Resource"], json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":dynamodb:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":table/orders"]]}));
    assert_eq!(statements[1]["Resource"], "arn:aws:dynamodb:us-east-1:123456789012:table/users");
    assert!(r.as_object().unwrap().values().all(|v| v["Type"] != "AWS::DynamoDB::Table"), "nothing is made for them");
    // A stack with a region, and one with an account too.
    for (env, arn) in [
        (Environment::region("us-west-2"), json!({"Fn::Join": ["", ["arn:aws:dynamodb:us-west-2:", {"Ref": "AWS::AccountId"}, ":table/orders"]]})),
        (Environment { account: Some("123456789012".into()), region: Some("eu-west-1".into()) }, json!("arn:aws:dynamodb:eu-west-1:123456789012:table/orders")),
    ] {
        let app = App::new();
        let stack = Stack::with_props(&app, "Pinned", StackProps::new().env(env)).unwrap();
        let role = Role::new(&stack, "R", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com"))).unwrap();
        Table::from_table_name(&stack, "Orders", "orders").unwrap().grant_read_data(&role).unwrap();
        let t = app.synth_in_memory().unwrap().stacks[0].template();
        assert_eq!(t["Resources"]["RDefaultPolicy0707467B"]["Properties"]["PolicyDocument"]["Statement"][0]["Resource"], arn);
    }
    // What is not known of an imported table, or not a table, is refused naming it.
    let app = App::new();
    let stack = Stack::new(&app, "Bad").unwrap();
    let err = |r: ironcdk::Result<Table>| r.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err(Table::from_table_name(&stack, "A", "x")).contains("table name 'x' must be 3 to 255"));
    assert!(err(Table::from_table_arn(&stack, "B", "arn:aws:s3:::bucket")).contains("is not a DynamoDB table ARN"));
    let imported = Table::from_table_name(&stack, "C", "orders").unwrap();
    let e = imported.add_global_secondary_index(GlobalSecondaryIndexProps::new("byX", Attribute::new("x", AttributeType::String))).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.starts_with("Bad/C: the table is imported, so its indexes cannot be known or changed here"), "{e}");
    let role = Role::new(&stack, "R", RoleProps::new(Principal::service("lambda.amazonaws.com"))).unwrap();
    assert!(imported.grant_stream_read(&role).err().map(|e| e.to_string()).unwrap_or_default().contains("so its stream cannot be known"));
    assert!(!imported.has_stream());
    let _ = imported.table_stream_arn();
    let e = app.synth_in_memory().err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("Bad/C") && e.contains("the stream ARN of an imported table is not known here"), "{e}");
}

#[test]
fn vpc_placement_and_permissions_refuse_what_lambda_refuses() {
    use ironcdk::ec2::{SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcProps};
    use ironcdk::lambda::{FunctionUrlAuthType, Permission};
    let app = App::new();
    let stack = Stack::new(&app, "Fn").unwrap();
    let vpc = Vpc::new(&stack, "Vpc", VpcProps::new().subnet_configuration(vec![SubnetConfiguration::new("Public", SubnetType::Public)])).unwrap();
    let inline = || FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", Code::from_inline("def handler(e, c): pass"));
    let err = Function::new(&stack, "InPublic", inline().vpc(&vpc)).err().unwrap().to_string();
    assert!(err.contains("Fn/InPublic") && err.contains("is public, where a Lambda function has no internet access"), "{err}");
    let err = Function::new(&stack, "NoVpc", inline().vpc_subnets(SubnetSelection::of_type(SubnetType::Public))).err().unwrap().to_string();
    assert!(err.contains("without a VPC"), "{err}");
    // Accepted when asked for, with the VPC access policy and a group of its own.
    let f = Function::new(&stack, "Accepted", inline().vpc(&vpc).allow_public_subnet(true)).unwrap();
    assert_eq!(f.connections().groups.len(), 1);
    for (principal, why) in [(Permission::service("s3 amazonaws"), "is not a service"), (Permission::account("12345"), "is not a service")] {
        let err = f.add_permission("Bad", principal).err().unwrap().to_string();
        assert!(err.contains("Fn/Accepted") && err.contains(why), "{err}");
    }
    let err = f.add_permission("BadAction", Permission::any().action("s3:GetObject")).err().unwrap().to_string();
    assert!(err.contains("is not a Lambda action"), "{err}");
    f.add_function_url(FunctionUrlAuthType::None).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let perms: Vec<&serde_json::Value> = common::of_type(&t, "AWS::Lambda::Permission").into_iter().map(|(_, p)| &p["Properties"]).collect();
    assert_eq!(perms.len(), 2, "CDK's two public permissions of a URL without auth");
    assert!(perms.iter().any(|p| p["Action"] == "lambda:InvokeFunctionUrl" && p["FunctionUrlAuthType"] == "NONE" && p["Principal"] == "*"));
    assert!(perms.iter().any(|p| p["Action"] == "lambda:InvokeFunction" && p["InvokedViaFunctionUrl"] == true));
    let (_, role) = common::of_type(&t, "AWS::IAM::Role").into_iter().find(|(id, _)| id.starts_with("Accepted")).unwrap();
    assert!(role["Properties"]["ManagedPolicyArns"].to_string().contains("AWSLambdaVPCAccessExecutionRole"));
}

/// `current_version` and `add_alias` as aws-cdk-lib 2.276 writes them for the same function
/// (`new lambda.Function(s, 'F', {... code: Code.fromInline('x'), memorySize: 256,
/// environment: {AB: 'b'}, reservedConcurrentExecutions: 3}).addAlias('live')`): the version's
/// logical ID ends with the MD5 of the version-locked properties, and changes with them.
#[test]
fn the_current_version_is_named_by_the_hash_of_the_function_as_cdk_names_it() {
    use ironcdk::lambda::AliasOptions;
    let build = |memory: u32, reserved: u32| {
        let app = App::new();
        let stack = Stack::new(&app, "S").unwrap();
        let f = Function::new(&stack, "F", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", Code::from_inline("x"))
            .memory_size(memory)
            .environment("AB", "b")
            .reserved_concurrent_executions(reserved))
        .unwrap();
        f.add_alias("live", AliasOptions::new()).unwrap();
        let t = app.synth_in_memory().unwrap().stacks[0].template();
        let version = common::of_type(&t, "AWS::Lambda::Version")[0].0.clone();
        let (alias, a) = common::of_type(&t, "AWS::Lambda::Alias")[0];
        assert_eq!(alias, "FAliaslive014C5853");
        assert_eq!(a["Properties"]["FunctionVersion"], serde_json::json!({"Fn::GetAtt": [version, "Version"]}));
        version
    };
    assert_eq!(build(256, 3), "FCurrentVersion58B8A55Db6c0b18afbecf13b56b07b4a9b278f76");
    // Reserved concurrency is not version-locked: the same version; memory is: a new one.
    assert_eq!(build(256, 5), "FCurrentVersion58B8A55Db6c0b18afbecf13b56b07b4a9b278f76");
    assert_ne!(build(512, 3), "FCurrentVersion58B8A55Db6c0b18afbecf13b56b07b4a9b278f76");
    let app = App::new();
    let stack = Stack::new(&app, "S").unwrap();
    let f = Function::new(&stack, "F", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", Code::from_inline("x"))).unwrap();
    for bad in ["", "123", "has space", &"a".repeat(129)] {
        let err = f.add_alias(bad, AliasOptions::new()).err().unwrap().to_string();
        assert!(err.contains("S/F") && err.contains("alias name"), "{err}");
    }
}
