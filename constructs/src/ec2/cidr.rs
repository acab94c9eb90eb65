//! IPv4 CIDR blocks and CDK's subnet allocation.

use std::fmt;

/// An IPv4 network in CIDR notation, validated: host bits must be zero.
///
/// ```
/// use ironcdk_constructs::ec2::Ipv4Cidr;
/// let c: Ipv4Cidr = "10.0.0.0/16".parse().unwrap();
/// assert_eq!(c.to_string(), "10.0.0.0/16");
/// assert!("10.0.0.1/16".parse::<Ipv4Cidr>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ipv4Cidr {
    network: u32,
    prefix: u8,
}

impl Ipv4Cidr {
    /// The network address as a number.
    pub fn network(self) -> u32 {
        self.network
    }
    /// The prefix length.
    pub fn prefix(self) -> u8 {
        self.prefix
    }
    /// Number of addresses in the block.
    pub fn size(self) -> u64 {
        // The prefix is at most 32 (checked when parsed), so the shift is at most 32.
        1u64.checked_shl(32u32.saturating_sub(u32::from(self.prefix))).unwrap_or(0)
    }
    /// One past the last address.
    pub fn end(self) -> u64 {
        u64::from(self.network).saturating_add(self.size())
    }
    /// Whether `other` lies inside this block.
    pub fn contains(self, other: Ipv4Cidr) -> bool {
        other.prefix >= self.prefix && u64::from(other.network) >= u64::from(self.network) && other.end() <= self.end()
    }
}

impl fmt::Display for Ipv4Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.network.to_be_bytes();
        write!(f, "{a}.{b}.{c}.{d}/{}", self.prefix)
    }
}

impl std::str::FromStr for Ipv4Cidr {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("'{s}' is not an IPv4 CIDR block such as 10.0.0.0/16");
        let (ip, prefix) = s.split_once('/').ok_or_else(bad)?;
        let prefix: u8 = prefix.parse().map_err(|_| bad())?;
        if prefix > 32 {
            return Err(bad());
        }
        let octets: Vec<u8> = ip.split('.').map(str::parse).collect::<Result<_, _>>().map_err(|_| bad())?;
        let [a, b, c, d] = octets.as_slice() else { return Err(bad()) };
        let network = u32::from_be_bytes([*a, *b, *c, *d]);
        let mask = u32::MAX.checked_shl(32u32.saturating_sub(u32::from(prefix))).unwrap_or(0);
        if network & !mask != 0 {
            let fixed = Ipv4Cidr { network: network & mask, prefix };
            return Err(format!("'{s}' has host bits set; did you mean {fixed}?"));
        }
        Ok(Ipv4Cidr { network, prefix })
    }
}

/// Allocates subnets inside a network the way CDK does: requests with an explicit mask first,
/// in order, then the remaining space split evenly among the rest; each block aligned.
pub(crate) fn allocate(network: Ipv4Cidr, masks: &[Option<u8>]) -> Result<Vec<Ipv4Cidr>, String> {
    let mut next: u64 = u64::from(network.network());
    let mut out: Vec<Option<Ipv4Cidr>> = vec![None; masks.len()];
    let take = |mask: u8, next: &mut u64| -> Result<Ipv4Cidr, String> {
        if !(16..=28).contains(&mask) {
            return Err(format!("subnet mask /{mask} is outside the /16 to /28 range AWS allows"));
        }
        let size = 1u64.checked_shl(32u32.saturating_sub(u32::from(mask))).unwrap_or(1);
        let start = next.div_ceil(size).saturating_mul(size);
        let end = start.saturating_add(size);
        let network_start = u32::try_from(start).ok().filter(|_| end <= network.end());
        let Some(network_start) = network_start else {
            return Err(format!("a /{mask} subnet does not fit in what is left of {network}; use a larger VPC range or smaller subnets (a larger cidr_mask)"));
        };
        *next = end;
        Ok(Ipv4Cidr { network: network_start, prefix: mask })
    };
    for (slot, m) in out.iter_mut().zip(masks) {
        if let Some(m) = m {
            *slot = Some(take(*m, &mut next)?);
        }
    }
    let rest = u64::try_from(masks.iter().filter(|m| m.is_none()).count()).unwrap_or(u64::MAX);
    if let Some(per) = network.end().saturating_sub(next).checked_div(rest) {
        if per == 0 {
            return Err(format!("no space left in {network} for {rest} more subnets"));
        }
        // The largest power of two in `per` is 2^(63 - leading zeros); its mask is 32 minus that.
        let bits = 63u32.saturating_sub(per.leading_zeros());
        let mask = u8::try_from(32u32.saturating_sub(bits)).unwrap_or(32);
        for (slot, m) in out.iter_mut().zip(masks) {
            if m.is_none() {
                *slot = Some(take(mask.max(16), &mut next)?);
            }
        }
    }
    Ok(out.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Ipv4Cidr {
        s.parse().unwrap()
    }

    #[test]
    fn explicit_masks_in_order() {
        let got = allocate(c("10.0.0.0/16"), &[Some(19), Some(19)]).unwrap();
        assert_eq!(got, vec![c("10.0.0.0/19"), c("10.0.32.0/19")]);
    }

    #[test]
    fn cdk_default_two_groups_two_azs_split_the_space() {
        // CDK's default VPC (public + private, 2 AZs, no masks): four /18s.
        let got = allocate(c("10.0.0.0/16"), &[None, None, None, None]).unwrap();
        assert_eq!(got, vec![c("10.0.0.0/18"), c("10.0.64.0/18"), c("10.0.128.0/18"), c("10.0.192.0/18")]);
    }

    #[test]
    fn explicit_first_then_rest() {
        // Public /24 x2 explicit; the other two share what is left: 65024 / 2 = 32512
        // addresses each, rounded down to a power of two (16384), so /18, as CDK computes.
        let got = allocate(c("10.0.0.0/16"), &[Some(24), Some(24), None, None]).unwrap();
        assert_eq!(got[0], c("10.0.0.0/24"));
        assert_eq!(got[1], c("10.0.1.0/24"));
        assert_eq!(got[2], c("10.0.64.0/18"), "aligned to its own size, after the /24s");
        assert_eq!(got[3], c("10.0.128.0/18"));
    }

    #[test]
    fn overflow_is_an_error() {
        let e = allocate(c("10.0.0.0/24"), &[Some(25), Some(25), Some(25)]).unwrap_err();
        assert!(e.contains("does not fit"), "{e}");
    }

    #[test]
    fn parse_errors_say_what_to_do() {
        assert!("10.0.0.1/16".parse::<Ipv4Cidr>().unwrap_err().contains("10.0.0.0/16"));
        assert!("10.0.0/16".parse::<Ipv4Cidr>().is_err());
        assert!("10.0.0.0/33".parse::<Ipv4Cidr>().is_err());
    }
}
