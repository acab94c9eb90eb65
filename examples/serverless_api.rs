//! The first app a Rust team writes: a Rust Lambda function behind an HTTP API, reading and
//! writing a DynamoDB table, with a week of logs.
//!
//! `cargo run --example serverless_api` writes `cdk.out/` with `ServerlessApi.template.json`,
//! the function's code as an asset (`asset.<hash>/`), `ServerlessApi.assets.json` for
//! `cdk deploy --app cdk.out`, and `ServerlessApi.package.template.json` for
//! `aws cloudformation package`.
//!
//! The code is the handler in `examples/serverless_api/handler` once cargo-lambda has built it
//! (`cargo lambda build --release --arm64 --output-format zip --bin handler` in that
//! directory); until then, a placeholder `bootstrap` stands in, so the example synthesizes
//! and deploys on a machine without cargo-lambda.

use std::path::Path;

use ironcdk::apigatewayv2::{HttpApi, HttpApiProps, HttpLambdaIntegration, HttpMethod};
use ironcdk::dynamodb::{Attribute, AttributeType, BillingMode, Table, TableProps};
use ironcdk::lambda::{Architecture, Code, Function, FunctionProps, Runtime};
use ironcdk::logs::{LogGroup, LogGroupProps, RetentionDays};
use ironcdk::cost::AssumptionSource;
use ironcdk::{App, Duration, Output, Stack};

/// The handler's code: cargo-lambda's build of `handler` when it exists, else the placeholder.
pub fn handler_code() -> Code {
    let handler = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/serverless_api/handler");
    if handler.join("target/lambda/handler").exists() {
        Code::from_cargo_lambda(handler, "handler")
    } else {
        placeholder_code()
    }
}

/// The placeholder `bootstrap` (what the tests deploy, and CDK's twin builds).
pub fn placeholder_code() -> Code {
    Code::from_asset(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/serverless_api/placeholder"))
}

/// Builds the stack into `app` with the placeholder code.
pub fn serverless_api(app: &App) -> ironcdk::Result<Stack> {
    serverless_api_with(app, placeholder_code())
}

/// Builds the stack into `app`, with the function's code from `code`.
pub fn serverless_api_with(app: &App, code: Code) -> ironcdk::Result<Stack> {
    let stack = Stack::new(app, "ServerlessApi")?;

    let table = Table::new(&stack, "Items", TableProps::new(Attribute::new("pk", AttributeType::String))
        .sort_key(Attribute::new("sk", AttributeType::String))
        .billing_mode(BillingMode::PayPerRequest))?;

    let logs = LogGroup::new(&stack, "HandlerLogs", LogGroupProps::new().retention(RetentionDays::OneWeek))?;
    let handler = Function::new(&stack, "Handler", FunctionProps::new(Runtime::PROVIDED_AL2023, "bootstrap", code)
        .architecture(Architecture::Arm64)
        .memory_size(256)
        .timeout(Duration::seconds(10))
        .environment("TABLE_NAME", table.table_name())
        .log_group(logs))?;
    table.grant_read_write_data(&handler)?;

    let api = HttpApi::new(&stack, "Api", HttpApiProps::new())?;
    let items = HttpLambdaIntegration::new("Items", &handler);
    api.add_routes("/items", &[HttpMethod::Get, HttpMethod::Post], &items)?;
    Output::new(&stack, "ApiUrl", api.api_endpoint())?;

    // What the templates cannot tell the cost report: a first guess at the traffic (a range
    // gives a low, expected and high total). `ironcdk cost --usage <file>` takes the same names.
    app.cost_assumptions(|a| -> Result<(), String> {
        a.set_range("api.million_requests", [1.0, 3.0, 10.0], AssumptionSource::Code)?;
        a.set_range("lambda.million_requests", [1.0, 3.0, 10.0], AssumptionSource::Code)?;
        a.set("lambda.duration_ms", 50.0, AssumptionSource::Code)?;
        a.set("dynamodb.million_writes", 1.0, AssumptionSource::Code)?;
        a.set("dynamodb.million_reads", 3.0, AssumptionSource::Code)?;
        a.set("dynamodb.gb_stored", 1.0, AssumptionSource::Code)?;
        a.set("logs.gb_ingested", 1.0, AssumptionSource::Code)
    })
    .map_err(|e| ironcdk::Error::validation("ServerlessApi", e))?;
    Ok(stack)
}

fn main() -> std::process::ExitCode {
    let app = App::new();
    ironcdk::exit_code(serverless_api_with(&app, handler_code()).and_then(|_| app.synth()))
}
