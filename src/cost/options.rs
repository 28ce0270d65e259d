//! Monthly and horizon cost of the four deployment options at a given volume (DESIGN.md §4).

use super::capacity::Capacity;
use super::cluster::{disaggregated_for, Layout, NoDisaggregation};
use super::inputs::CostInputs;
use super::rates::{Rates, MISSING_API, MISSING_PURCHASE, MISSING_RENTAL};
use super::tools::Payer;
use serde::Serialize;

/// Average hours and days in a month.
pub const HOURS_PER_MONTH: f64 = 730.0;
pub const DAYS_PER_MONTH: f64 = 365.0 / 12.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OptionKind {
    Api,
    CloudGpu,
    LocalServer,
    LocalCluster,
}

impl OptionKind {
    pub const ALL: [OptionKind; 4] = [
        OptionKind::Api,
        OptionKind::CloudGpu,
        OptionKind::LocalServer,
        OptionKind::LocalCluster,
    ];

    pub fn json_name(self) -> &'static str {
        match self {
            OptionKind::Api => "api",
            OptionKind::CloudGpu => "cloud_gpu",
            OptionKind::LocalServer => "local_server",
            OptionKind::LocalCluster => "local_cluster",
        }
    }

    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        match self {
            OptionKind::Api => lang.pick("DeepSeek API", "DeepSeek API"),
            OptionKind::CloudGpu => lang.pick("Rented cloud GPUs", "租用云 GPU"),
            OptionKind::LocalServer => lang.pick("One local server", "单台本地服务器"),
            OptionKind::LocalCluster => lang.pick("Local cluster", "本地集群"),
        }
    }

    pub fn is_local(self) -> bool {
        matches!(self, OptionKind::LocalServer | OptionKind::LocalCluster)
    }
}

/// One option's cost at one volume.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionCost {
    pub kind: OptionKind,
    /// False when the option cannot serve the volume (one server is too small, or the model
    /// does not fit the hardware).
    pub feasible: bool,
    pub monthly: f64,
    pub horizon: f64,
    pub servers: u32,
    pub gpus: u32,
    /// Monthly cost by item (amortized capex included), in the inputs' currency.
    pub breakdown: Vec<(&'static str, f64)>,
    /// The local cluster's layout (`None` for the other options).
    pub cluster: Option<ClusterLayout>,
}

/// How the local cluster is built, and what the other layout would have taken.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterLayout {
    pub layout: Layout,
    /// Disaggregated: the GPUs that prefill prompts and those that decode (0 and 0 for replicas,
    /// where every GPU does both).
    pub prefill_gpus: u32,
    pub decode_gpus: u32,
    /// Disaggregated: sequences the decode nodes run at once at the per-user speed target.
    pub decode_sequences: u32,
    /// The other layout's GPUs and monthly cost, where it can be built.
    pub other: Option<(u32, f64)>,
    /// Why the cluster cannot be disaggregated (then it is replicas).
    pub not_disaggregated: Option<NoDisaggregation>,
}

/// Most servers one deployment is sized with (far above any real one); keeps servers × GPUs per
/// server within `u32`.
pub const MAX_SERVERS: u32 = 1_000_000;

/// Servers needed for the busiest hour (0 for no traffic); `None` when one server cannot serve
/// the model or the volume needs more than `MAX_SERVERS`.
pub fn servers_needed(inputs: &CostInputs, cap: &Capacity) -> Option<u32> {
    let w = &inputs.workload;
    if w.requests_per_day <= 0.0 {
        return Some(0);
    }
    if !cap.serves() {
        return None;
    }
    let peak_rps = w.requests_per_day / 86_400.0 * w.peak_to_average;
    let n = (peak_rps / cap.requests_per_s).ceil();
    if n.is_finite() && n <= f64::from(MAX_SERVERS) {
        Some(n.max(1.0) as u32)
    } else {
        None
    }
}

/// Owned hardware: GPUs in nodes, networked as a cluster or standing alone.
#[derive(Debug, Clone, Copy)]
struct Owned {
    gpus: u32,
    nodes: u32,
    cluster: bool,
}

/// Local hardware: monthly items over the horizon. A node costs what a server of the deployment
/// costs per GPU; a cluster adds its network (RDMA for a disaggregated one).
fn local_items(inputs: &CostInputs, r: &Rates, hw: Owned) -> Vec<(&'static str, f64)> {
    let p = &inputs.prices;
    let months = inputs.workload.horizon_years * 12.0;
    let gpus = f64::from(hw.gpus);
    let per_gpu = r.server_capex / f64::from(inputs.deployment.gpus_per_server.max(1));
    let server_capex = gpus * per_gpu;
    let network_capex = if hw.cluster {
        server_capex * p.network_share_of_server_cost
    } else {
        0.0
    };
    let kw = gpus * r.gpu_kw + f64::from(hw.nodes) * p.server_base_kw;
    let fte = if hw.cluster {
        p.fte_local_cluster
    } else {
        p.fte_local_server
    };
    let mut items = vec![("hardware", server_capex / months)];
    if hw.cluster {
        items.push(("network", network_capex / months));
    }
    items.extend([
        (
            "power",
            kw * HOURS_PER_MONTH * p.utilization * p.pue * r.electricity_per_kwh,
        ),
        ("cooling", kw * p.cooling_per_kw / months),
        ("staff", fte * p.engineer_per_year / 12.0),
        (
            "maintenance",
            (server_capex + network_capex) * p.maintenance_share_per_year / 12.0,
        ),
        (
            "optimization",
            p.optimization_once / months + p.optimization_per_year / 12.0,
        ),
    ]);
    with_tools(inputs, r, Payer::SelfHosted, items)
}

/// The local cluster: replicas of the deployment's server (`servers` of them), or a
/// disaggregated wide-EP deployment where one can be built and costs less per month.
fn local_cluster(
    inputs: &CostInputs,
    cap: &Capacity,
    r: &Rates,
    servers: u32,
) -> (Vec<(&'static str, f64)>, u32, u32, ClusterLayout) {
    let per_server = inputs.deployment.gpus_per_server;
    let replicas = Owned {
        gpus: servers * per_server,
        nodes: servers,
        cluster: true,
    };
    let replica_items = local_items(inputs, r, replicas);
    let monthly = |items: &[(&'static str, f64)]| items.iter().map(|i| i.1).sum::<f64>();
    let replica_monthly = monthly(&replica_items);
    match disaggregated_for(inputs, cap) {
        Ok(d) => {
            let owned = Owned {
                gpus: d.prefill_gpus + d.decode_gpus,
                nodes: d.nodes,
                cluster: true,
            };
            let items = local_items(inputs, r, owned);
            let disaggregated_monthly = monthly(&items);
            if disaggregated_monthly < replica_monthly {
                let layout = ClusterLayout {
                    layout: Layout::Disaggregated,
                    prefill_gpus: d.prefill_gpus,
                    decode_gpus: d.decode_gpus,
                    decode_sequences: (f64::from(d.decode_gpus) * d.decode_tok_s_per_gpu
                        / inputs.workload.min_user_tok_s.max(1.0))
                    .clamp(1.0, f64::from(crate::estimate::MAX_CONCURRENCY))
                        as u32,
                    other: Some((replicas.gpus, replica_monthly)),
                    not_disaggregated: None,
                };
                (items, d.nodes, owned.gpus, layout)
            } else {
                let layout = ClusterLayout {
                    layout: Layout::Replicas,
                    prefill_gpus: 0,
                    decode_gpus: 0,
                    decode_sequences: 0,
                    other: Some((owned.gpus, disaggregated_monthly)),
                    not_disaggregated: None,
                };
                (replica_items, servers, replicas.gpus, layout)
            }
        }
        Err(why) => {
            let layout = ClusterLayout {
                layout: Layout::Replicas,
                prefill_gpus: 0,
                decode_gpus: 0,
                decode_sequences: 0,
                other: None,
                not_disaggregated: Some(why),
            };
            (replica_items, servers, replicas.gpus, layout)
        }
    }
}

/// The API's monthly items: input and output tokens, each split into the tokens billed off-peak
/// and those billed at the peak price (`workload.peak_share`).
fn api_items(inputs: &CostInputs, r: &Rates) -> Vec<(&'static str, f64)> {
    let w = &inputs.workload;
    let m_in = w.requests_per_day * DAYS_PER_MONTH * w.input_tokens / 1e6;
    let m_out = w.requests_per_day * DAYS_PER_MONTH * w.output_tokens / 1e6;
    let input = |t: &crate::catalog::schema::TokenPrices| {
        w.cache_hit_share * t.cache_hit_per_mtok + (1.0 - w.cache_hit_share) * t.cache_miss_per_mtok
    };
    let (off, peak) = (1.0 - w.peak_share, w.peak_share);
    let items = vec![
        (
            "input tokens, off-peak",
            m_in * off * input(&r.api_off_peak),
        ),
        ("input tokens, peak", m_in * peak * input(&r.api_peak)),
        (
            "output tokens, off-peak",
            m_out * off * r.api_off_peak.output_per_mtok,
        ),
        (
            "output tokens, peak",
            m_out * peak * r.api_peak.output_per_mtok,
        ),
    ];
    with_tools(inputs, r, Payer::Api, items)
}

/// `items` and the tool calls `payer` pays for (nothing without tools; on a self-hosted option
/// only the tools whose replacement the price file names).
fn with_tools(
    inputs: &CostInputs,
    r: &Rates,
    payer: Payer,
    mut items: Vec<(&'static str, f64)>,
) -> Vec<(&'static str, f64)> {
    let w = &inputs.workload;
    items.extend(super::tools::items(
        &w.tools,
        &r.tools,
        w.requests_per_day,
        payer,
    ));
    items
}

/// Every option's cost at the inputs' volume with the prices resolved in `r`.
pub fn option_costs(inputs: &CostInputs, cap: &Capacity, r: &Rates) -> Vec<OptionCost> {
    let w = &inputs.workload;
    let p = &inputs.prices;
    let months = w.horizon_years * 12.0;
    let per_server_gpus = inputs.deployment.gpus_per_server;
    let needed = servers_needed(inputs, cap);
    let make = |kind, feasible: bool, servers: u32, items: Vec<(&'static str, f64)>| {
        let monthly: f64 = items.iter().map(|i| i.1).sum();
        OptionCost {
            kind,
            feasible,
            monthly,
            horizon: monthly * months,
            servers,
            gpus: servers * per_server_gpus,
            breakdown: items,
            cluster: None,
        }
    };
    let priced = |what: &str| !r.missing.contains(&what);
    let api = make(
        OptionKind::Api,
        priced(MISSING_API),
        0,
        api_items(inputs, r),
    );
    // Without a price an option is not computed (rather than shown as free).
    let cloud = match needed.filter(|_| priced(MISSING_RENTAL)) {
        Some(n) => make(
            OptionKind::CloudGpu,
            true,
            n,
            with_tools(
                inputs,
                r,
                Payer::SelfHosted,
                vec![
                    (
                        "GPU rental",
                        f64::from(n * per_server_gpus) * r.cloud_gpu_hour * HOURS_PER_MONTH,
                    ),
                    (
                        "staff",
                        if n > 0 {
                            p.fte_cloud * p.engineer_per_year / 12.0
                        } else {
                            0.0
                        },
                    ),
                ],
            ),
        ),
        None => make(OptionKind::CloudGpu, false, 0, Vec::new()),
    };
    let owned = needed.filter(|_| priced(MISSING_PURCHASE));
    let one = Owned {
        gpus: per_server_gpus,
        nodes: 1,
        cluster: false,
    };
    let server = make(
        OptionKind::LocalServer,
        matches!(owned, Some(n) if n <= 1),
        1,
        local_items(inputs, r, one),
    );
    let cluster = match owned {
        Some(n) => {
            let (items, nodes, gpus, layout) = local_cluster(inputs, cap, r, n.max(2));
            OptionCost {
                gpus,
                cluster: Some(layout),
                ..make(OptionKind::LocalCluster, true, nodes, items)
            }
        }
        None => make(OptionKind::LocalCluster, false, 0, Vec::new()),
    };
    vec![api, cloud, server, cluster]
}
