//! The price table: one dated row per region and item, with the AWS Price List usage type.
//!
//! Prices are in USD, on-demand, without free tiers. They were taken from AWS's public pricing
//! pages as of the date in each row; none could be re-checked against the Price List API from
//! this offline build, so every row says `verified: false` until someone does (change the flag
//! and the date when you do).

/// What a price is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    /// NAT gateway, per hour.
    NatHour,
    /// NAT gateway, per GB processed.
    NatGb,
    /// Interface endpoint, per AZ-hour.
    EndpointHour,
    /// Interface endpoint, per GB processed.
    EndpointGb,
    /// Application load balancer, per hour.
    AlbHour,
    /// Application load balancer, per LCU-hour.
    AlbLcu,
    /// Network load balancer, per hour.
    NlbHour,
    /// Network load balancer, per NLCU-hour.
    NlbLcu,
    /// Fargate x86, per vCPU-hour.
    FargateVcpu,
    /// Fargate x86, per GB-hour.
    FargateGb,
    /// Fargate ARM, per vCPU-hour.
    FargateArmVcpu,
    /// Fargate ARM, per GB-hour.
    FargateArmGb,
    /// A public IPv4 address, per hour (in use or idle, since 2024-02-01).
    PublicIpv4Hour,
    /// A Route 53 hosted zone, per month (first 25).
    HostedZoneMonth,
    /// API Gateway REST, per million requests (first 333 million).
    ApiMillionRequests,
    /// CloudWatch Logs, per GB ingested.
    LogsIngestGb,
    /// CloudWatch Logs, per GB-month stored.
    LogsStoredGb,
    /// ECR, per GB-month stored.
    EcrStoredGb,
    /// Data across AZs or a peering across AZs, per GB each direction.
    TransferGb,
    /// Lambda, per million requests.
    LambdaMillionRequests,
    /// Lambda on x86, per GB-second.
    LambdaGbSecond,
    /// Lambda on Graviton, per GB-second.
    LambdaArmGbSecond,
    /// DynamoDB on demand, per million write request units.
    DynamoMillionWrites,
    /// DynamoDB on demand, per million read request units.
    DynamoMillionReads,
    /// DynamoDB provisioned, per write capacity unit-hour.
    DynamoWcuHour,
    /// DynamoDB provisioned, per read capacity unit-hour.
    DynamoRcuHour,
    /// DynamoDB standard table class, per GB-month stored.
    DynamoStoredGb,
    /// API Gateway HTTP API, per million requests (first 300 million).
    HttpApiMillionRequests,
    /// S3 Standard, per GB-month (first 50 TB).
    S3StoredGb,
    /// S3 PUT, COPY, POST and LIST requests, per million.
    S3MillionPuts,
    /// S3 GET and other reads, per million.
    S3MillionGets,
    /// SQS standard queue requests, per million (after the first million a month).
    SqsMillionRequests,
    /// SQS FIFO queue requests, per million.
    SqsFifoMillionRequests,
    /// SNS publishes, per million (deliveries to SQS and Lambda are free).
    SnsMillionPublishes,
    /// CloudFront data out to viewers in North America and Europe, per GB (first 10 TB).
    CloudFrontGbOut,
    /// CloudFront HTTPS requests from North America and Europe, per million.
    CloudFrontMillionRequests,
    /// A KMS key of the customer, per month.
    KmsKeyMonth,
    /// KMS requests, per million (beyond the free 20,000 a month).
    KmsMillionRequests,
    /// S3 Standard-Infrequent Access, per GB-month.
    S3InfrequentAccessGb,
    /// S3 Glacier Flexible Retrieval, per GB-month.
    S3GlacierGb,
    /// S3 Glacier Deep Archive, per GB-month.
    S3DeepArchiveGb,
    /// A Secrets Manager secret, per month (API calls not counted).
    SecretMonth,
    /// RDS General Purpose SSD (gp2) storage of a Single-AZ instance, per GB-month.
    RdsGp2Gb,
    /// RDS General Purpose SSD (gp3) storage of a Single-AZ instance, per GB-month.
    RdsGp3Gb,
}

/// One row of the table.
#[derive(Clone, Copy, Debug)]
pub struct Price {
    /// Region code.
    pub region: &'static str,
    /// The item.
    pub item: Item,
    /// AWS Price List usage type.
    pub usage_type: &'static str,
    /// USD per unit.
    pub usd: f64,
    /// Where it was read, and when.
    pub source: &'static str,
    /// Checked against the Price List API.
    pub verified: bool,
}

const SOURCE: &str = "AWS pricing pages, as of 2026-11-21 (issue #11's table)";

macro_rules! prices {
    ($( $region:literal, $item:ident, $usage:literal, $usd:literal; )*) => {
        /// Every price the report knows.
        pub const PRICES: &[Price] = &[
            $( Price { region: $region, item: Item::$item, usage_type: $usage, usd: $usd, source: SOURCE, verified: false }, )*
        ];
    };
}

prices! {
    "us-east-1", NatHour, "NatGateway-Hours", 0.045;
    "us-east-1", NatGb, "NatGateway-Bytes", 0.045;
    "us-east-1", EndpointHour, "VpcEndpoint-Hours", 0.01;
    "us-east-1", EndpointGb, "VpcEndpoint-Bytes", 0.01;
    "us-east-1", AlbHour, "LoadBalancerUsage", 0.0225;
    "us-east-1", AlbLcu, "LCUUsage", 0.008;
    "us-east-1", NlbHour, "LoadBalancerUsage", 0.0225;
    "us-east-1", NlbLcu, "LCUUsage", 0.006;
    "us-east-1", FargateVcpu, "Fargate-vCPU-Hours:perCPU", 0.04048;
    "us-east-1", FargateGb, "Fargate-GB-Hours", 0.004445;
    "us-east-1", FargateArmVcpu, "Fargate-ARM-vCPU-Hours:perCPU", 0.03238;
    "us-east-1", FargateArmGb, "Fargate-ARM-GB-Hours", 0.00356;
    "us-east-1", PublicIpv4Hour, "PublicIPv4:InUseAddress", 0.005;
    "us-east-1", HostedZoneMonth, "HostedZone", 0.50;
    "us-east-1", ApiMillionRequests, "ApiGatewayRequest", 3.50;
    "us-east-1", LogsIngestGb, "DataProcessing-Bytes", 0.50;
    "us-east-1", LogsStoredGb, "TimedStorage-ByteHrs", 0.03;
    "us-east-1", EcrStoredGb, "TimedStorage-ByteHrs", 0.10;
    "us-east-1", TransferGb, "DataTransfer-Regional-Bytes", 0.01;
    "us-east-1", LambdaMillionRequests, "Request", 0.20;
    "us-east-1", LambdaGbSecond, "Lambda-GB-Second", 0.0000166667;
    "us-east-1", LambdaArmGbSecond, "Lambda-GB-Second-ARM", 0.0000133334;
    "us-east-1", DynamoMillionWrites, "WriteRequestUnits", 0.625;
    "us-east-1", DynamoMillionReads, "ReadRequestUnits", 0.125;
    "us-east-1", DynamoWcuHour, "WriteCapacityUnit-Hrs", 0.00065;
    "us-east-1", DynamoRcuHour, "ReadCapacityUnit-Hrs", 0.00013;
    "us-east-1", DynamoStoredGb, "TimedStorage-ByteHrs", 0.25;
    "us-east-1", HttpApiMillionRequests, "ApiGatewayHttpRequest", 1.00;
    "us-east-1", S3StoredGb, "TimedStorage-ByteHrs", 0.023;
    "us-east-1", S3MillionPuts, "Requests-Tier1", 5.00;
    "us-east-1", S3MillionGets, "Requests-Tier2", 0.40;
    "us-east-1", SqsMillionRequests, "Requests-RBP", 0.40;
    "us-east-1", SqsFifoMillionRequests, "Requests-FIFO-RBP", 0.50;
    "us-east-1", SnsMillionPublishes, "Requests-Tier1", 0.50;
    "us-east-1", CloudFrontGbOut, "US-DataTransfer-Out-Bytes", 0.085;
    "us-east-1", CloudFrontMillionRequests, "US-Requests-Tier2-HTTPS", 1.00;
    "us-east-1", KmsKeyMonth, "KMS-Keys", 1.00;
    "us-east-1", KmsMillionRequests, "KMS-Requests", 3.00;
    "us-east-1", S3InfrequentAccessGb, "TimedStorage-SIA-ByteHrs", 0.0125;
    "us-east-1", S3GlacierGb, "TimedStorage-GlacierByteHrs", 0.0036;
    "us-east-1", S3DeepArchiveGb, "TimedStorage-GDA-ByteHrs", 0.00099;
    "ap-northeast-1", NatHour, "APN1-NatGateway-Hours", 0.062;
    "ap-northeast-1", NatGb, "APN1-NatGateway-Bytes", 0.062;
    "ap-northeast-1", EndpointHour, "APN1-VpcEndpoint-Hours", 0.014;
    "ap-northeast-1", EndpointGb, "APN1-VpcEndpoint-Bytes", 0.01;
    "ap-northeast-1", AlbHour, "APN1-LoadBalancerUsage", 0.0243;
    "ap-northeast-1", AlbLcu, "APN1-LCUUsage", 0.008;
    "ap-northeast-1", NlbHour, "APN1-LoadBalancerUsage", 0.0243;
    "ap-northeast-1", NlbLcu, "APN1-LCUUsage", 0.006;
    "ap-northeast-1", FargateVcpu, "APN1-Fargate-vCPU-Hours:perCPU", 0.05056;
    "ap-northeast-1", FargateGb, "APN1-Fargate-GB-Hours", 0.00553;
    "ap-northeast-1", FargateArmVcpu, "APN1-Fargate-ARM-vCPU-Hours:perCPU", 0.04045;
    "ap-northeast-1", FargateArmGb, "APN1-Fargate-ARM-GB-Hours", 0.00442;
    "ap-northeast-1", PublicIpv4Hour, "APN1-PublicIPv4:InUseAddress", 0.005;
    "ap-northeast-1", HostedZoneMonth, "HostedZone", 0.50;
    "ap-northeast-1", LogsIngestGb, "APN1-DataProcessing-Bytes", 0.76;
    "ap-northeast-1", LogsStoredGb, "APN1-TimedStorage-ByteHrs", 0.033;
    "ap-northeast-1", EcrStoredGb, "APN1-TimedStorage-ByteHrs", 0.10;
    "ap-northeast-1", TransferGb, "APN1-DataTransfer-Regional-Bytes", 0.01;
    "ap-northeast-1", LambdaMillionRequests, "APN1-Request", 0.20;
    "ap-northeast-1", LambdaGbSecond, "APN1-Lambda-GB-Second", 0.0000166667;
    "ap-northeast-1", LambdaArmGbSecond, "APN1-Lambda-GB-Second-ARM", 0.0000133334;
    "ap-northeast-1", S3StoredGb, "APN1-TimedStorage-ByteHrs", 0.025;
    "ap-northeast-1", S3MillionPuts, "APN1-Requests-Tier1", 4.70;
    "ap-northeast-1", S3MillionGets, "APN1-Requests-Tier2", 0.37;
    "ap-northeast-1", SqsMillionRequests, "APN1-Requests-RBP", 0.40;
    "ap-northeast-1", SqsFifoMillionRequests, "APN1-Requests-FIFO-RBP", 0.50;
    "ap-northeast-1", SnsMillionPublishes, "APN1-Requests-Tier1", 0.50;
    "ap-northeast-1", CloudFrontGbOut, "US-DataTransfer-Out-Bytes", 0.085;
    "ap-northeast-1", CloudFrontMillionRequests, "US-Requests-Tier2-HTTPS", 1.00;
    "ap-northeast-1", KmsKeyMonth, "APN1-KMS-Keys", 1.00;
    "ap-northeast-1", KmsMillionRequests, "APN1-KMS-Requests", 3.00;
    "ap-northeast-1", S3InfrequentAccessGb, "APN1-TimedStorage-SIA-ByteHrs", 0.019;
    "ap-northeast-1", S3GlacierGb, "APN1-TimedStorage-GlacierByteHrs", 0.0045;
    "ap-northeast-1", S3DeepArchiveGb, "APN1-TimedStorage-GDA-ByteHrs", 0.002;
    "us-east-1", SecretMonth, "AWSSecretsManager-Secrets", 0.40;
    "ap-northeast-1", SecretMonth, "APN1-AWSSecretsManager-Secrets", 0.40;
    "us-east-1", RdsGp2Gb, "RDS:GP2-Storage", 0.115;
    "us-east-1", RdsGp3Gb, "RDS:GP3-Storage", 0.115;
}

/// RDS on-demand instance hours of a Single-AZ deployment: (region, engine, DB instance class,
/// USD per hour). A Multi-AZ instance costs twice as much. Only the classes here are priced;
/// others say "no price data".
pub const RDS_INSTANCE_HOURS: &[(&str, &str, &str, f64)] = &[
    ("us-east-1", "postgres", "db.t4g.micro", 0.016),
    ("us-east-1", "postgres", "db.t4g.small", 0.032),
    ("us-east-1", "postgres", "db.t4g.medium", 0.065),
    ("us-east-1", "postgres", "db.t3.micro", 0.018),
    ("us-east-1", "postgres", "db.t3.small", 0.036),
    ("us-east-1", "postgres", "db.t3.medium", 0.072),
    ("us-east-1", "mysql", "db.t4g.micro", 0.016),
    ("us-east-1", "mysql", "db.t4g.small", 0.032),
    ("us-east-1", "mysql", "db.t4g.medium", 0.065),
    ("us-east-1", "mysql", "db.t3.micro", 0.017),
    ("us-east-1", "mysql", "db.t3.small", 0.034),
    ("us-east-1", "mysql", "db.t3.medium", 0.068),
];

/// The hourly price of an RDS instance class for an engine in a region, if the table has it.
pub fn rds_instance_hour(region: &str, engine: &str, class: &str) -> Option<f64> {
    RDS_INSTANCE_HOURS.iter().find(|(r, e, c, _)| *r == region && *e == engine && *c == class).map(|(_, _, _, usd)| *usd)
}

/// The price of `item` in `region`, if the table has it (API Gateway and DynamoDB in Tokyo are
/// not in it: their prices could not be confirmed, so the report says so instead of guessing).
pub fn price(region: &str, item: Item) -> Option<&'static Price> {
    // The item first: comparing it is cheaper than comparing the region's text.
    PRICES.iter().find(|p| p.item == item && p.region == region)
}
