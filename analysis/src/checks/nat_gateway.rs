//! `nat-gateway`: every NAT gateway, with its monthly hours cost.

use ironcdk_template::Severity;

use super::Findings;
use crate::cost::prices::{price, Item};
use crate::cost::schedule::HOURS_PER_MONTH;
use crate::cost::DEFAULT_REGION;
use crate::network::Network;

rule! {
    /// `nat-gateway`: every NAT gateway, with its monthly hours cost.
    NatGateway = "nat-gateway", |net, _app, out| {
        nat_gateways(net, &mut out);
    }
}

fn nat_gateways(net: &Network, out: &mut Findings<'_>) {
    for (key, path) in &net.nat_gateways {
        let region = out.app.stacks.get(key.stack).and_then(|s| s.env.region.clone());
        // The cost report's price table, the one place prices live.
        let hourly = |r: &str| price(r, Item::NatHour).map(|p| p.usd);
        let cost = match region.as_deref().map(|r| (r, hourly(r))) {
            Some((r, Some(h))) => format!("${:.2} a month in {r} before traffic", h * HOURS_PER_MONTH),
            Some((r, None)) => format!("no price data for {r}"),
            None => match hourly(DEFAULT_REGION) {
                Some(h) => format!("${:.2} a month in {DEFAULT_REGION} (the stack has no region) before traffic", h * HOURS_PER_MONTH),
                None => format!("no price data for {DEFAULT_REGION}"),
            },
        };
        let _ = path;
        out.at(key, ID, Severity::Info, format!("NAT gateway {} costs {cost}, plus its public IPv4 address and every GB it processes", out.name(key)), "if the tasks only need AWS services, VPC endpoints may replace it");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_nat_gateway_is_named_with_its_hourly_cost_from_the_price_table() {
        let t = serde_json::json!({"Resources": {"Nat": {"Type": "AWS::EC2::NatGateway", "Properties": {"SubnetId": "subnet-1"}}}});
        let f = crate::checks::findings_of(&NatGateway, &[("Net", t)]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Info);
        let hourly = price("us-east-1", Item::NatHour).unwrap().usd;
        assert!(f[0].message.contains(&format!("${:.2} a month in us-east-1", hourly * HOURS_PER_MONTH)), "{}", f[0].message);
    }
}
