//! The machines `buy` considers, each with its price: 1–8 of a priced GPU in the cheapest host that
//! takes them (or a complete-server quote), every unified-memory machine on offer by memory size
//! alone and as small-box clusters of 2–4 (DGX Sparks over ConnectX-7, Macs over Thunderbolt,
//! Strix Halo boxes over USB4), and CPU-only servers.

use crate::catalog::schema::{Currency, DeviceClass, GpuEntry, Host};
use crate::catalog::Catalog;
use crate::hardware::{GpuGroup, Machine};
use crate::prices::{PriceContext, Quoted, Source};

/// Unified memory is sold in GiB ("128 GB" = 128 × 2^30 bytes); the estimator counts 10^9-byte GB.
const GB_PER_SOLD_GB: f64 = 1.073_741_824;

/// Largest number of one GPU model in a machine.
pub const MAX_GPUS: u32 = 8;
/// Largest small-box cluster `buy` prices (four DGX Sparks link over ConnectX-7 in a ring; four
/// Macs over Thunderbolt 5 all-to-all).
pub const MAX_BOXES: u32 = 4;

/// One device model and how many of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub id: String,
    pub name: String,
    pub count: u32,
}

/// A machine to price and estimate.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// What is bought, in words: `2× NVIDIA GeForce RTX 4090 in Desktop for up to 2 GPUs …`.
    pub product: String,
    /// GPUs or the unified-memory chip; for a CPU-only server, the server itself.
    pub parts: Vec<Part>,
    pub machine: Machine,
    /// The price used (middle of the band), its band and its sources.
    pub price: f64,
    pub price_low: f64,
    pub price_high: f64,
    pub sources: Vec<(String, Source)>,
}

fn part(g: &GpuEntry, count: u32) -> Part {
    Part {
        id: g.id.clone(),
        name: g.name.clone(),
        count,
    }
}

/// GPU counts tried for a device class: any count for cards that split by layers; 1, 2, 4 and 8
/// for datacenter modules (tensor parallelism and HGX boards come in powers of two).
fn counts(class: DeviceClass) -> &'static [u32] {
    match class {
        DeviceClass::DatacenterHbm => &[1, 2, 4, 8],
        _ => &[1, 2, 3, 4, 5, 6, 7, 8],
    }
}

/// The cheapest host that takes `n` GPUs of `class`.
fn host_for<'a>(
    hosts: &'a [(&'static Host, Quoted)],
    class: DeviceClass,
    n: u32,
) -> Option<&'a (&'static Host, Quoted)> {
    hosts
        .iter()
        .filter(|(h, _)| h.max_gpus >= n && h.for_classes.contains(&class))
        .min_by(|a, b| a.1.value.total_cmp(&b.1.value))
}

fn host_machine(h: &Host, gpus: Vec<GpuGroup>) -> Option<Machine> {
    Machine::from_parts(
        gpus,
        Some(h.ram_gb),
        Some(h.cpu_mem_bw_gbs),
        Some(h.cpu_cores),
    )
    .ok()
}

/// Every machine the catalog (and the user's price file) can price, in `to` at `rate`.
pub fn candidates(ctx: &PriceContext, to: Currency, rate: f64) -> Vec<Candidate> {
    let c = Catalog::get();
    let hosts = ctx.hosts(to, rate);
    let mut out = Vec::new();
    for g in c.gpus.gpus.iter().filter(|g| !g.class.is_unified()) {
        let gpu_price = ctx.gpu_purchase(&g.id, to, rate);
        for &n in counts(g.class) {
            let Some((host, host_price)) = host_for(&hosts, g.class, n) else {
                continue;
            };
            let group = GpuGroup {
                spec: g.clone(),
                count: n,
            };
            let Some(machine) = host_machine(host, vec![group]) else {
                continue;
            };
            let server = ctx.server_purchase(&g.id, n, to, rate);
            // A quote for the whole server wins unless the GPU quote is the user's and the server
            // quote is only the catalog's.
            let use_server = match (&server, &gpu_price) {
                (Some(s), Some(p)) => s.source.user() || !p.source.user(),
                (Some(_), None) => true,
                _ => false,
            };
            let k = f64::from(n);
            let (price, low, high, sources, product) = match (use_server, &server, &gpu_price) {
                (true, Some(s), _) => (
                    s.value,
                    s.low,
                    s.high,
                    vec![(format!("{n}× {} server", g.id), s.source.clone())],
                    format!("{n}× {} (complete server)", g.name),
                ),
                (_, _, Some(p)) => (
                    k * p.value + host_price.value,
                    k * p.low + host_price.low,
                    k * p.high + host_price.high,
                    vec![
                        (format!("{n}× {}", g.id), p.source.clone()),
                        (format!("host {}", host.id), host_price.source.clone()),
                    ],
                    format!("{n}× {} in {}", g.name, host.name),
                ),
                _ => continue,
            };
            out.push(Candidate {
                product,
                parts: vec![part(g, n)],
                machine,
                price,
                price_low: low,
                price_high: high,
                sources,
            });
        }
    }
    for s in ctx.systems(to, rate) {
        let Ok(g) = c.gpu(&s.gpu_id) else {
            continue;
        };
        for n in 1..=MAX_BOXES {
            let group = GpuGroup {
                spec: g.clone(),
                count: n,
            };
            let ram = Some(s.memory_gb * GB_PER_SOLD_GB);
            let Ok(machine) = Machine::from_parts(vec![group], ram, None, None) else {
                continue;
            };
            let k = f64::from(n);
            out.push(Candidate {
                product: match machine.node_link() {
                    Some(link) if n > 1 => format!(
                        "{n}× {} linked over {} (cables not priced)",
                        s.product, link.name
                    ),
                    _ => s.product.clone(),
                },
                parts: vec![part(g, n)],
                machine,
                price: k * s.price.value,
                price_low: k * s.price.low,
                price_high: k * s.price.high,
                sources: vec![(s.product.clone(), s.price.source.clone())],
            });
        }
    }
    for (h, q) in hosts.iter().filter(|(h, _)| h.max_gpus == 0) {
        let Some(machine) = host_machine(h, Vec::new()) else {
            continue;
        };
        out.push(Candidate {
            product: h.name.clone(),
            parts: vec![Part {
                id: h.id.clone(),
                name: h.name.clone(),
                count: 1,
            }],
            machine,
            price: q.value,
            price_low: q.low,
            price_high: q.high,
            sources: vec![(format!("host {}", h.id), q.source.clone())],
        });
    }
    out.sort_by(|a, b| a.price.total_cmp(&b.price));
    out
}
