//! Monthly and horizon cost of the four deployment options at a given volume (DESIGN.md §4).

use super::capacity::Capacity;
use super::inputs::CostInputs;
use super::rates::{Rates, MISSING_API, MISSING_PURCHASE, MISSING_RENTAL};
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

/// Local hardware for `servers` servers: monthly items over the horizon.
fn local_items(
    inputs: &CostInputs,
    r: &Rates,
    servers: u32,
    cluster: bool,
) -> Vec<(&'static str, f64)> {
    let p = &inputs.prices;
    let months = inputs.workload.horizon_years * 12.0;
    let gpus = f64::from(servers * inputs.deployment.gpus_per_server);
    let s = f64::from(servers);
    let server_capex = s * r.server_capex;
    let network_capex = if cluster {
        server_capex * p.network_share_of_server_cost
    } else {
        0.0
    };
    let kw = gpus * r.gpu_kw + s * p.server_base_kw;
    let fte = if cluster {
        p.fte_local_cluster
    } else {
        p.fte_local_server
    };
    vec![
        ("hardware", (server_capex + network_capex) / months),
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
    ]
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
    vec![
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
    ]
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
        None => make(OptionKind::CloudGpu, false, 0, Vec::new()),
    };
    let owned = needed.filter(|_| priced(MISSING_PURCHASE));
    let server = make(
        OptionKind::LocalServer,
        matches!(owned, Some(n) if n <= 1),
        1,
        local_items(inputs, r, 1, false),
    );
    let cluster = match owned {
        Some(n) => {
            let n = n.max(2);
            make(
                OptionKind::LocalCluster,
                true,
                n,
                local_items(inputs, r, n, true),
            )
        }
        None => make(OptionKind::LocalCluster, false, 0, Vec::new()),
    };
    vec![api, cloud, server, cluster]
}
