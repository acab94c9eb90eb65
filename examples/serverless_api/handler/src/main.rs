//! The serverless_api example's handler: answers `GET /items` and `POST /items` with the name
//! of the table the stack passes in `TABLE_NAME` (a starting point: add the DynamoDB client).

use lambda_http::{run, service_fn, Body, Error, Request, Response};

async fn handle(request: Request) -> Result<Response<Body>, Error> {
    let table = std::env::var("TABLE_NAME").unwrap_or_default();
    let body = format!("{{\"method\":\"{}\",\"table\":\"{table}\"}}", request.method());
    Ok(Response::builder().status(200).header("content-type", "application/json").body(body.into())?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(handle)).await
}
