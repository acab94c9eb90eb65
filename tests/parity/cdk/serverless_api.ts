// The TypeScript twin of examples/serverless_api.rs, construct for construct.
import * as path from 'path';
import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

export function build(app: App) {
  const stack = new Stack(app, 'ServerlessApi');

  const table = new dynamodb.Table(stack, 'Items', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  });

  const logGroup = new logs.LogGroup(stack, 'HandlerLogs', { retention: logs.RetentionDays.ONE_WEEK });
  const handler = new lambda.Function(stack, 'Handler', {
    runtime: lambda.Runtime.PROVIDED_AL2023,
    handler: 'bootstrap',
    code: lambda.Code.fromAsset(path.join(__dirname, '../../../examples/serverless_api/placeholder')),
    architecture: lambda.Architecture.ARM_64,
    memorySize: 256,
    timeout: Duration.seconds(10),
    environment: { TABLE_NAME: table.tableName },
    logGroup,
  });
  table.grantReadWriteData(handler);

  const api = new apigwv2.HttpApi(stack, 'Api');
  const items = new HttpLambdaIntegration('Items', handler);
  api.addRoutes({ path: '/items', methods: [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.POST], integration: items });
  new CfnOutput(stack, 'ApiUrl', { value: api.apiEndpoint });
}
