"""moto_server with one documented patch, used by the deploy tests.

moto 5.2.5 creates every AWS::ElasticLoadBalancingV2::LoadBalancer from CloudFormation as an
application load balancer (its CloudFormation hook drops the `Type` property), and then rejects
the TCP listeners of network load balancers ("Listener protocol 'TCP' must be one of 'HTTP,
HTTPS'"). moto's own backend already models network load balancers (`loadbalancer_type`); this
patch only passes `Type` through. Everything else is moto as released.

Usage: python moto_server_nlb.py -H 127.0.0.1 -p PORT
"""

import sys

from moto.elbv2.models import FakeLoadBalancer, elbv2_backends


def _create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    properties = cloudformation_json["Properties"]
    backend = elbv2_backends[account_id][region_name]
    return backend.create_load_balancer(
        resource_name,
        properties.get("SecurityGroups"),
        properties.get("Subnets"),
        scheme=properties.get("Scheme", "internet-facing"),
        loadbalancer_type=properties.get("Type", "application"),
    )


FakeLoadBalancer.create_from_cloudformation_json = classmethod(_create_from_cloudformation_json)

from moto.server import main  # noqa: E402  (after the patch, on purpose)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
