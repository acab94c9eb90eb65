"""moto_server with three documented patches, used by the deploy tests.

1. moto 5.2.5 creates every AWS::ElasticLoadBalancingV2::LoadBalancer from CloudFormation as an
application load balancer (its CloudFormation hook drops the `Type` property), and then rejects
the TCP listeners of network load balancers ("Listener protocol 'TCP' must be one of 'HTTP,
HTTPS'"). The same hook drops `SubnetMappings`, so a load balancer placed by subnet mappings
(an NLB with an Elastic IP) fails with SubnetNotFound. moto's own backend already models network
load balancers (`loadbalancer_type`) and subnet mappings; this patch only passes `Type` and
`SubnetMappings` through.
2. moto 5.2.5 executes a change set (what `aws cloudformation deploy` and `cdk deploy` use)
   without evaluating the stack's Outputs, so exports are never registered and a second stack's
   `Fn::ImportValue` fails with "No export named ... found". `create-stack` does evaluate them;
   this patch does the same after a change set runs: it rebuilds the stack's outputs and
   registers its exports, as `create_stack` does; and it lets the change set's stack see the
   exports of other stacks, which `create_change_set` does not pass it.

3. moto 5.2.5's VPC endpoint has no CloudFormation attributes, so `Fn::GetAtt Endpoint.DnsEntries`
   (what an alias record to an interface endpoint reads, as CDK's InterfaceVpcEndpointTarget
   does) fails with "'VPCEndPoint' object has no attribute 'get_cfn_attribute'" and a 500. The
   endpoint already holds its DNS entries; this patch returns them in CloudFormation's
   `<hosted zone id>:<dns name>` form, and `Id` as its ID.

4. moto 5.2.5 has an API Gateway v2 backend but no CloudFormation model for it, so an
   `AWS::ApiGatewayV2::Api` in a template is skipped and an output reading its `ApiEndpoint`
   (what CDK's `httpApi.apiEndpoint` renders) fails with a 500. This patch creates the API
   through moto's own backend, with `ApiEndpoint` and `ApiId` as its attributes; its stages,
   routes and integrations are still skipped, as before.

Everything else is moto as released.

Usage: python moto_server_nlb.py -H 127.0.0.1 -p PORT
"""

import sys

from moto.cloudformation.models import CloudFormationBackend
from moto.elbv2.models import FakeLoadBalancer, elbv2_backends


def _create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    properties = cloudformation_json["Properties"]
    backend = elbv2_backends[account_id][region_name]
    return backend.create_load_balancer(
        resource_name,
        properties.get("SecurityGroups"),
        properties.get("Subnets") or [],
        subnet_mappings=properties.get("SubnetMappings"),
        scheme=properties.get("Scheme", "internet-facing"),
        loadbalancer_type=properties.get("Type", "application"),
    )


FakeLoadBalancer.create_from_cloudformation_json = classmethod(_create_from_cloudformation_json)

_execute_change_set = CloudFormationBackend.execute_change_set


def _execute_change_set_with_outputs(self, change_set_name, stack_name=None):
    change_set = self.change_sets.get(change_set_name) or next(
        (c for c in self.change_sets.values() if c.change_set_name == change_set_name), None
    )
    if change_set is not None:
        # A stack made by create_change_set cannot see other stacks' exports either.
        stack = self.stacks[change_set.stack_id]
        stack.cross_stack_resources = self.exports
        stack.resource_map.cross_stack_resources = self.exports
    _execute_change_set(self, change_set_name, stack_name)
    if change_set is None:
        return
    stack._parse_template()  # the stack's template is the change set's from here on
    stack.output_map = stack._create_output_map()
    for export in stack.exports:
        self.exports[export.name] = export


CloudFormationBackend.execute_change_set = _execute_change_set_with_outputs


from moto.ec2.models.vpcs import VPCEndPoint  # noqa: E402


def _endpoint_cfn_attribute(self, attribute_name):
    if attribute_name == "DnsEntries":
        return [f"{e['hosted_zone_id']}:{e['dns_name']}" for e in (self.dns_entries or [])]
    if attribute_name == "Id":
        return self.id
    from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

    raise UnformattedGetAttTemplateException()


VPCEndPoint.get_cfn_attribute = _endpoint_cfn_attribute
VPCEndPoint.has_cfn_attr = classmethod(lambda cls, attr: attr in ("DnsEntries", "Id"))

from moto.apigatewayv2.models import apigatewayv2_backends  # noqa: E402
from moto.core.common_models import CloudFormationModel  # noqa: E402


class _HttpApi(CloudFormationModel):
    # moto's model metaclass files each model under the service its module names.
    __module__ = "moto.apigatewayv2.models"

    def __init__(self, api):
        self.api = api

    @staticmethod
    def cloudformation_name_type():
        return "Name"

    @staticmethod
    def cloudformation_type():
        return "AWS::ApiGatewayV2::Api"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = cloudformation_json.get("Properties", {})
        api = apigatewayv2_backends[account_id][region_name].create_api(
            api_key_selection_expression=p.get("ApiKeySelectionExpression"),
            cors_configuration=p.get("CorsConfiguration"),
            description=p.get("Description"),
            disable_schema_validation=p.get("DisableSchemaValidation"),
            disable_execute_api_endpoint=p.get("DisableExecuteApiEndpoint"),
            name=p.get("Name", resource_name),
            protocol_type=p.get("ProtocolType", "HTTP"),
            route_selection_expression=p.get("RouteSelectionExpression"),
            tags=p.get("Tags") or {},
            version=p.get("Version"),
        )
        return cls(api)

    @property
    def physical_resource_id(self):
        return self.api.api_id

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr in ("ApiEndpoint", "ApiId")

    def get_cfn_attribute(self, attribute_name):
        if attribute_name == "ApiEndpoint":
            return self.api.api_endpoint
        if attribute_name == "ApiId":
            return self.api.api_id
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

        raise UnformattedGetAttTemplateException()


from moto.server import main  # noqa: E402  (after the patch, on purpose)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
