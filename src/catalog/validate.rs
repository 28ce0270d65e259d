//! Validation of the catalog files: typed parsing (errors carry file, line:column and field) plus
//! cross-checks (unique ids, positive numbers, quant and GPU ids that exist). Depends on serde and
//! ron only, because `build.rs` includes it to fail the build on a bad catalog.

use super::schema::*;
use std::collections::HashSet;

/// The catalog files as (path, text) in this order: models, quants, gpus, cpus, cloud, holidays,
/// measurements.
pub type Sources<'a> = [(&'a str, &'a str); 7];

/// Every problem found, each naming the file; empty when the catalogs are valid.
pub fn validate_all(sources: &Sources) -> Vec<String> {
    let mut errors = Vec::new();
    let [m, q, g, c, cl, h, me] = sources;
    let models: Option<ModelCatalog> = parse(m.0, m.1, &mut errors);
    let quants: Option<QuantCatalog> = parse(q.0, q.1, &mut errors);
    let gpus: Option<GpuCatalog> = parse(g.0, g.1, &mut errors);
    let cpus: Option<CpuCatalog> = parse(c.0, c.1, &mut errors);
    let cloud: Option<CloudCatalog> = parse(cl.0, cl.1, &mut errors);
    let holidays: Option<HolidayCatalog> = parse(h.0, h.1, &mut errors);
    if let Some(holidays) = &holidays {
        check_holidays(holidays, &mut errors);
    }
    let measurements: Option<MeasurementCatalog> = parse(me.0, me.1, &mut errors);
    if let (Some(models), Some(quants)) = (&models, &quants) {
        check_models(models, quants, &mut errors);
        check_quants(quants, models, &mut errors);
    }
    if let Some(gpus) = &gpus {
        check_gpus(gpus, &mut errors);
        if let (Some(cloud), Some(models)) = (&cloud, &models) {
            check_cloud(cloud, gpus, models, &mut errors);
        }
    }
    if let Some(cpus) = &cpus {
        check_cpus(cpus, &mut errors);
    }
    if let (Some(me), Some(models), Some(quants), Some(gpus)) =
        (&measurements, &models, &quants, &gpus)
    {
        check_measurements(me, models, quants, gpus, &mut errors);
    }
    errors
}

fn parse<T: serde::de::DeserializeOwned>(
    path: &str,
    text: &str,
    errors: &mut Vec<String>,
) -> Option<T> {
    match ron::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(format!(
                "{path}:{}:{}: {}",
                e.span.start.line, e.span.start.col, e.code
            ));
            None
        }
    }
}

fn unique<'a>(
    file: &str,
    what: &str,
    ids: impl Iterator<Item = &'a str>,
    errors: &mut Vec<String>,
) {
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id.to_ascii_lowercase()) {
            errors.push(format!("{file}: duplicate {what} `{id}`"));
        }
    }
}

fn positive(file: &str, entry: &str, field: &str, v: f64, errors: &mut Vec<String>) {
    if !(v.is_finite() && v > 0.0) {
        errors.push(format!(
            "{file}: {entry}: field `{field}` must be a positive number, got {v}"
        ));
    }
}

fn check_models(m: &ModelCatalog, q: &QuantCatalog, errors: &mut Vec<String>) {
    let f = "assets/catalog/models.ron";
    unique(
        f,
        "model id",
        m.models.iter().map(|x| x.id.as_str()),
        errors,
    );
    let quant_ids: HashSet<String> = q.quants.iter().map(|x| x.id.to_ascii_lowercase()).collect();
    for model in &m.models {
        if model.id != model.id.to_ascii_lowercase() {
            errors.push(format!(
                "{f}: model `{}`: field `id` must be lower case",
                model.id
            ));
        }
        if !model.architecture.ends_with("ForCausalLM") {
            errors.push(format!(
                "{f}: model `{}`: field `architecture` must be the checkpoint's `architectures[0]` (e.g. `DeepseekV3ForCausalLM`), found `{}`",
                model.id, model.architecture
            ));
        }
        let a = &model.arch;
        for (field, v) in [
            ("arch.layers", a.layers),
            ("arch.hidden", a.hidden),
            ("arch.intermediate", a.intermediate),
            ("arch.heads", a.heads),
            ("arch.kv_heads", a.kv_heads),
            ("arch.head_dim", a.head_dim),
            ("arch.vocab", a.vocab),
            ("arch.max_context", a.max_context),
            ("official_context", model.official_context),
        ] {
            if v == 0 {
                errors.push(format!(
                    "{f}: model `{}`: field `{field}` must be > 0",
                    model.id
                ));
            }
        }
        if a.kv_heads > a.heads {
            errors.push(format!(
                "{f}: model `{}`: `arch.kv_heads` exceeds `arch.heads`",
                model.id
            ));
        }
        if let Some(moe) = &a.moe {
            if moe.experts_per_token == 0 || moe.experts_per_token > moe.routed_experts {
                errors.push(format!(
                    "{f}: model `{}`: `arch.moe.experts_per_token` must be 1..=routed_experts",
                    model.id
                ));
            }
            if moe.first_dense_layers > a.layers {
                errors.push(format!(
                    "{f}: model `{}`: `arch.moe.first_dense_layers` exceeds layers",
                    model.id
                ));
            }
        }
        for f_repo in &model.file_repos {
            if !quant_ids.contains(&f_repo.quant.to_ascii_lowercase()) {
                errors.push(format!(
                    "{f}: model `{}`: file repo `{}` names unknown quant `{}`",
                    model.id, f_repo.repo, f_repo.quant
                ));
            }
        }
        for id in &model.quants {
            if !quant_ids.contains(&id.to_ascii_lowercase()) {
                errors.push(format!(
                    "{f}: model `{}`: `quants` names unknown quant `{id}` (not in quants.ron)",
                    model.id
                ));
            }
        }
        let mut runtimes = HashSet::new();
        for r in &model.runtimes {
            if !runtimes.insert(r.runtime) {
                errors.push(format!(
                    "{f}: model `{}`: runtime `{:?}` listed twice in `runtimes`",
                    model.id, r.runtime
                ));
            }
        }
        if let Some(c) = &a.compressed {
            let sum: u32 = c.layer_kinds.iter().map(|k| k.layers).sum();
            if sum != a.layers {
                errors.push(format!(
                    "{f}: model `{}`: `arch.compressed.layer_kinds` cover {sum} layers, not `arch.layers` = {}",
                    model.id, a.layers
                ));
            }
            for k in &c.layer_kinds {
                if k.reads_shared && k.ratio != 0 {
                    errors.push(format!(
                        "{f}: model `{}`: a `reads_shared` layer kind keeps no cache of its own: its `ratio` must be 0",
                        model.id
                    ));
                }
                if k.indexed && (a.indexer.is_none() || k.ratio == 0) {
                    errors.push(format!(
                        "{f}: model `{}`: an `indexed` layer kind needs `arch.indexer` and a `ratio` > 0",
                        model.id
                    ));
                }
            }
            for (field, v) in [
                ("latent_dim", c.latent_dim),
                ("q_lora_rank", c.q_lora_rank),
                ("o_groups", c.o_groups),
                ("o_lora_rank", c.o_lora_rank),
                ("sliding_window", c.sliding_window),
                ("hc_mult", c.hc_mult),
            ] {
                if v == 0 {
                    errors.push(format!(
                        "{f}: model `{}`: field `arch.compressed.{field}` must be > 0",
                        model.id
                    ));
                }
            }
        }
        if let Some(bpw) = model.routed_native_bpw {
            positive(f, &model.id, "routed_native_bpw", bpw, errors);
        }
        for s in &model.published_sizes {
            positive(f, &model.id, "published_sizes.size", s.size, errors);
            if !quant_ids.contains(&s.quant.to_ascii_lowercase()) {
                errors.push(format!(
                    "{f}: model `{}`: published size names unknown quant `{}` (not in quants.ron)",
                    model.id, s.quant
                ));
            }
        }
        for s in &model.quality {
            if !s.value.is_finite() || s.value < 0.0 {
                errors.push(format!(
                    "{f}: model `{}`: quality `{}` must be >= 0",
                    model.id, s.benchmark
                ));
            }
        }
    }
}

fn check_quants(q: &QuantCatalog, m: &ModelCatalog, errors: &mut Vec<String>) {
    let f = "assets/catalog/quants.ron";
    unique(
        f,
        "quant id or alias",
        q.quants.iter().flat_map(|x| {
            std::iter::once(x.id.as_str()).chain(x.aliases.iter().map(|a| a.as_str()))
        }),
        errors,
    );
    let model_ids: HashSet<&str> = m.models.iter().map(|x| x.id.as_str()).collect();
    for quant in &q.quants {
        positive(f, &quant.id, "body_bpw", quant.body_bpw, errors);
        positive(f, &quant.id, "embed_bpw", quant.embed_bpw, errors);
        positive(f, &quant.id, "output_bpw", quant.output_bpw, errors);
        for (field, v) in [
            ("routed_bpw", quant.routed_bpw),
            ("engram_bpw", quant.engram_bpw),
            ("named_bits", quant.named_bits),
        ] {
            if let Some(v) = v {
                positive(f, &quant.id, field, v, errors);
            }
        }
        if quant.runtimes.is_empty() {
            errors.push(format!(
                "{f}: quant `{}`: field `runtimes` is empty",
                quant.id
            ));
        }
        for id in &quant.only_for {
            if !model_ids.contains(id.as_str()) {
                errors.push(format!(
                    "{f}: quant `{}`: `only_for` names unknown model `{id}`",
                    quant.id
                ));
            }
        }
    }
}

fn check_gpus(g: &GpuCatalog, errors: &mut Vec<String>) {
    let f = "assets/catalog/gpus.ron";
    unique(
        f,
        "GPU id, name or alias",
        g.gpus.iter().flat_map(GpuEntry::names),
        errors,
    );
    for gpu in &g.gpus {
        positive(f, &gpu.id, "vram_gb", gpu.vram_gb, errors);
        positive(f, &gpu.id, "mem_bw_gbs", gpu.mem_bw_gbs, errors);
        positive(f, &gpu.id, "fp16_tflops", gpu.fp16_tflops, errors);
        if let Some(p) = &gpu.price {
            positive(f, &gpu.id, "price.low", p.low, errors);
            if p.high < p.low {
                errors.push(format!("{f}: {}: `price.high` below `price.low`", gpu.id));
            }
        }
        if gpu.class.is_unified() && gpu.memory_options_gb.is_empty() {
            errors.push(format!(
                "{f}: {}: unified-memory chips need `memory_options_gb`",
                gpu.id
            ));
        }
    }
}

fn check_cpus(c: &CpuCatalog, errors: &mut Vec<String>) {
    let f = "assets/catalog/cpus.ron";
    unique(
        f,
        "platform id",
        c.platforms.iter().map(|x| x.id.as_str()),
        errors,
    );
    for p in &c.platforms {
        positive(f, &p.id, "peak_gbs", p.peak_gbs, errors);
        let expected = p.channels as f64 * 8.0 * p.mts as f64 / 1000.0;
        if p.channels > 0 && (expected - p.peak_gbs).abs() > 0.05 * expected {
            errors.push(format!(
                "{f}: {}: `peak_gbs` {} disagrees with channels × 8 B × MT/s = {expected:.1}",
                p.id, p.peak_gbs
            ));
        }
    }
}

/// A date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a plausible month and day.
fn is_partial_date(d: &str) -> bool {
    match d.len() {
        4 => d.parse::<u32>().is_ok(),
        7 => {
            d.as_bytes()[4] == b'-'
                && d[..4].parse::<u32>().is_ok()
                && d[5..].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        }
        _ => is_day(d),
    }
}

/// Cross-checks of measurements.ron: sources exist and are unique, catalog ids exist, every point
/// measured something, numbers are positive and lengths plausible.
fn check_measurements(
    me: &MeasurementCatalog,
    m: &ModelCatalog,
    q: &QuantCatalog,
    g: &GpuCatalog,
    errors: &mut Vec<String>,
) {
    let f = "assets/catalog/measurements.ron";
    unique(
        f,
        "source id",
        me.sources.iter().map(|s| s.id.as_str()),
        errors,
    );
    for s in &me.sources {
        if !s.url.starts_with("https://") {
            errors.push(format!(
                "{f}: source `{}`: `url` must start with https://",
                s.id
            ));
        }
    }
    let sources: HashSet<&str> = me.sources.iter().map(|s| s.id.as_str()).collect();
    let models: HashSet<&str> = m.models.iter().map(|x| x.id.as_str()).collect();
    let quants: HashSet<String> = q.quants.iter().map(|x| x.id.to_ascii_lowercase()).collect();
    let gpus: HashSet<&str> = g.gpus.iter().map(|x| x.id.as_str()).collect();
    let mut used = HashSet::new();
    for (i, p) in me.points.iter().enumerate() {
        let what = format!("point {} ({}, {})", i + 1, p.source, p.hardware);
        if !sources.contains(p.source.as_str()) {
            errors.push(format!(
                "{f}: {what}: `source` `{}` is not in `sources`",
                p.source
            ));
        }
        used.insert(p.source.as_str());
        if let Some(u) = &p.url {
            if !u.starts_with("https://") {
                errors.push(format!("{f}: {what}: `url` must start with https://"));
            }
        }
        if !is_partial_date(&p.date) {
            errors.push(format!(
                "{f}: {what}: `date` must be YYYY, YYYY-MM or YYYY-MM-DD, got `{}`",
                p.date
            ));
        }
        if let Some(id) = &p.model_id {
            if !models.contains(id.as_str()) {
                errors.push(format!(
                    "{f}: {what}: `model_id` `{id}` is not in models.ron"
                ));
            }
        }
        if let Some(id) = &p.quant_id {
            if !quants.contains(&id.to_ascii_lowercase()) {
                errors.push(format!(
                    "{f}: {what}: `quant_id` `{id}` is not in quants.ron"
                ));
            }
        }
        for (id, count) in &p.gpus {
            if !gpus.contains(id.as_str()) {
                errors.push(format!("{f}: {what}: GPU `{id}` is not in gpus.ron"));
            }
            if *count == 0 {
                errors.push(format!("{f}: {what}: GPU `{id}` has count 0"));
            }
        }
        if p.metrics().next().is_none() {
            errors.push(format!(
                "{f}: {what}: no metric (decode, per_user, aggregate, prefill, ttft_ms)"
            ));
        }
        for (metric, v) in p.metrics() {
            positive(f, &what, metric.json_name(), v, errors);
        }
        for (field, v) in [
            ("ram_gb", p.ram_gb),
            ("cpu_mem_bw_gbs", p.cpu_mem_bw_gbs),
            ("ssd_gbps", p.ssd_gbps),
        ] {
            if let Some(v) = v {
                positive(f, &what, field, v, errors);
            }
        }
        if p.concurrency == Some(0) || p.cpu_cores == Some(0) || p.nodes == Some(0) {
            errors.push(format!(
                "{f}: {what}: `concurrency`, `cpu_cores` and `nodes` must be > 0"
            ));
        }
        let c = p.concurrency();
        if p.decode.is_some() && c != 1 {
            errors.push(format!("{f}: {what}: `decode` is one user's speed: `concurrency` must be 1 (use `per_user`)"));
        }
        if p.per_user.is_some() && p.concurrency == Some(1) {
            errors.push(format!(
                "{f}: {what}: `per_user` is for a `concurrency` above 1 (use `decode`)"
            ));
        }
    }
    for s in &me.sources {
        if !used.contains(s.id.as_str()) {
            errors.push(format!("{f}: source `{}` has no points", s.id));
        }
    }
}

/// A `YYYY-MM-DD` date with a plausible month and day.
fn is_day(d: &str) -> bool {
    let b = d.as_bytes();
    let num = |r: std::ops::Range<usize>| d[r].parse::<u32>().ok();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && num(0..4).is_some()
        && num(5..7).is_some_and(|m| (1..=12).contains(&m))
        && num(8..10).is_some_and(|x| (1..=31).contains(&x))
}

/// Dates well formed and inside their year, breaks in order, each year once.
fn check_holidays(h: &HolidayCatalog, errors: &mut Vec<String>) {
    let f = "assets/catalog/holidays.ron";
    if !is_day(&h.billing_rule.since) {
        errors.push(format!(
            "{f}: billing_rule: `since` must be a date YYYY-MM-DD, got `{}`",
            h.billing_rule.since
        ));
    }
    let mut seen = HashSet::new();
    for y in &h.years {
        if !seen.insert(y.year) {
            errors.push(format!("{f}: duplicate year {}", y.year));
        }
        let in_year = |field: &str, d: &str, errors: &mut Vec<String>| {
            if !is_day(d) || !d.starts_with(&format!("{}-", y.year)) {
                errors.push(format!(
                    "{f}: year {}: `{field}` must be a date YYYY-MM-DD in {}, got `{d}`",
                    y.year, y.year
                ));
            }
        };
        for b in &y.breaks {
            in_year("breaks.first", &b.first, errors);
            in_year("breaks.last", &b.last, errors);
            if b.last < b.first {
                errors.push(format!(
                    "{f}: year {}: break `{}` ends ({}) before it starts ({})",
                    y.year, b.name, b.last, b.first
                ));
            }
        }
        for d in &y.make_up_days {
            in_year("make_up_days", d, errors);
        }
        if y.notice.is_none() && !y.confidence.is_estimate() {
            errors.push(format!(
                "{f}: year {}: without a `notice` the calendar holds statutory days only and must be Unverified",
                y.year
            ));
        }
    }
}

fn check_quote(f: &str, what: &str, p: &PriceQuote, errors: &mut Vec<String>) {
    positive(f, what, "price.low", p.low, errors);
    positive(f, what, "price.high", p.high, errors);
    if p.high < p.low {
        errors.push(format!(
            "{f}: {what}: `price.high` ({}) is below `price.low` ({})",
            p.high, p.low
        ));
    }
}

fn check_cloud(c: &CloudCatalog, g: &GpuCatalog, m: &ModelCatalog, errors: &mut Vec<String>) {
    let f = "assets/catalog/cloud.ron";
    for t in &c.tool_prices {
        let what = format!(
            "tool price {} from {}",
            t.tool.json_name(),
            t.effective_from
        );
        positive(f, &what, "price", t.price, errors);
        positive(f, &what, "per", t.per, errors);
        for d in std::iter::once(&t.effective_from).chain(&t.effective_until) {
            if !is_day(d) {
                errors.push(format!("{f}: {what}: dates must be YYYY-MM-DD, got `{d}`"));
            }
        }
    }
    let gpu_ids: HashSet<&str> = g.gpus.iter().map(|x| x.id.as_str()).collect();
    let known_gpu = |what: &str, id: &str, errors: &mut Vec<String>| {
        if !gpu_ids.contains(id) {
            errors.push(format!("{f}: {what}: `gpu_id` `{id}` is not in gpus.ron"));
        }
    };
    for i in &c.instances {
        let what = format!("{} {}", i.provider, i.instance);
        positive(f, &what, "per_hour", i.per_hour, errors);
        if i.gpu_count == 0 {
            errors.push(format!("{f}: {what}: `gpu_count` must be > 0"));
        }
        known_gpu(&what, &i.gpu_id, errors);
    }
    for g in &c.cost_defaults.gpu_purchases {
        if !gpu_ids.contains(g.gpu_id.as_str()) {
            errors.push(format!(
                "{f}: cost_defaults.gpu_purchases: `{}` is not in gpus.ron",
                g.gpu_id
            ));
        }
        check_quote(f, &g.gpu_id, &g.price, errors);
    }
    for s in &c.system_prices {
        known_gpu(&s.product, &s.gpu_id, errors);
        positive(f, &s.product, "memory_gb", s.memory_gb, errors);
        check_quote(f, &s.product, &s.price, errors);
    }
    for s in &c.server_prices {
        known_gpu(&s.product, &s.gpu_id, errors);
        if s.gpu_count == 0 {
            errors.push(format!("{f}: {}: `gpu_count` must be > 0", s.product));
        }
        check_quote(f, &s.product, &s.price, errors);
    }
    unique(f, "host id", c.hosts.iter().map(|h| h.id.as_str()), errors);
    for h in &c.hosts {
        for (field, v) in [("ram_gb", h.ram_gb), ("cpu_mem_bw_gbs", h.cpu_mem_bw_gbs)] {
            positive(f, &h.id, field, v, errors);
        }
        if h.cpu_cores == 0 {
            errors.push(format!("{f}: {}: `cpu_cores` must be > 0", h.id));
        }
        if (h.max_gpus == 0) != h.for_classes.is_empty() {
            errors.push(format!(
                "{f}: {}: a host takes GPUs (`max_gpus` > 0) exactly when it names `for_classes`",
                h.id
            ));
        }
        check_quote(f, &h.id, &h.price, errors);
    }
    for p in &c.api_prices {
        let what = format!("{} from {}", p.endpoint, p.effective_from);
        let mut tiers = vec![(
            "",
            TokenPrices {
                cache_hit_per_mtok: p.cache_hit_per_mtok,
                cache_miss_per_mtok: p.cache_miss_per_mtok,
                output_per_mtok: p.output_per_mtok,
            },
        )];
        tiers.extend(p.peak.map(|t| ("peak.", t)));
        for (prefix, t) in tiers {
            for (field, v) in [
                ("cache_hit_per_mtok", t.cache_hit_per_mtok),
                ("cache_miss_per_mtok", t.cache_miss_per_mtok),
                ("output_per_mtok", t.output_per_mtok),
            ] {
                positive(f, &what, &format!("{prefix}{field}"), v, errors);
            }
        }
        for (field, d) in [
            ("effective_from", Some(&p.effective_from)),
            ("effective_until", p.effective_until.as_ref()),
        ] {
            if let Some(d) = d.filter(|d| !is_day(d)) {
                errors.push(format!(
                    "{f}: {what}: `{field}` must be a date YYYY-MM-DD, got `{d}`"
                ));
            }
        }
        if let Some(until) = &p.effective_until {
            if until <= &p.effective_from {
                errors.push(format!(
                    "{f}: {what}: `effective_until` {until} is not after `effective_from`"
                ));
            }
        }
        if let Some(id) = &p.serves_model {
            if !m.models.iter().any(|x| &x.id == id) {
                errors.push(format!(
                    "{f}: {what}: `serves_model` `{id}` is not in models.ron"
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::SOURCES;

    #[test]
    fn embedded_catalogs_are_valid() {
        assert_eq!(validate_all(&SOURCES), Vec::<String>::new());
    }

    fn with(index: usize, text: String) -> Vec<String> {
        let mut s = SOURCES;
        let leaked: &'static str = Box::leak(text.into_boxed_str());
        s[index].1 = leaked;
        validate_all(&s)
    }

    #[test]
    fn a_misspelled_field_names_file_line_column_and_field() {
        let gpus = SOURCES[2]
            .1
            .replacen("        mem_bw_gbs:", "        mem_bw_gbz:", 1);
        let line = gpus.lines().position(|l| l.contains("mem_bw_gbz")).unwrap() + 1;
        let errors = with(2, gpus);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with(&format!("assets/catalog/gpus.ron:{line}:")),
            "{}",
            errors[0]
        );
        assert!(errors[0].contains("mem_bw_gbz"), "{}", errors[0]);
    }

    #[test]
    fn cross_references_and_numbers_are_checked() {
        let cloud = SOURCES[4]
            .1
            .replacen("gpu_id: \"h100-sxm\"", "gpu_id: \"h100-sxmm\"", 1);
        assert!(with(4, cloud)
            .iter()
            .any(|e| e.contains("`h100-sxmm` is not in gpus.ron")));
        let cloud = SOURCES[4].1.replacen(
            "serves_model: Some(\"deepseek-v4.1-flash-1017\")",
            "serves_model: Some(\"deepseek-v4.1-flush\")",
            1,
        );
        assert!(with(4, cloud)
            .iter()
            .any(|e| e.contains("`serves_model` `deepseek-v4.1-flush` is not in models.ron")));
        let cloud = SOURCES[4].1.replacen(
            "effective_from: \"2026-10-17\"",
            "effective_from: \"2026-10\"",
            1,
        );
        assert!(with(4, cloud)
            .iter()
            .any(|e| e.contains("`effective_from` must be a date YYYY-MM-DD, got `2026-10`")));
        let models = SOURCES[0]
            .1
            .replacen("quant: \"Q4_K_M\"", "quant: \"Q4_K_Z\"", 1);
        assert!(with(0, models)
            .iter()
            .any(|e| e.contains("unknown quant `Q4_K_Z`")));
        let quants = SOURCES[1]
            .1
            .replacen("body_bpw: 8.5,", "body_bpw: -8.5,", 1);
        assert!(with(1, quants)
            .iter()
            .any(|e| e.contains("`body_bpw` must be a positive number")));
        let holidays = SOURCES[5]
            .1
            .replacen("last: \"2026-02-23\"", "last: \"2026-02-13\"", 1);
        assert!(with(5, holidays)
            .iter()
            .any(|e| e.contains("break `Spring Festival` ends (2026-02-13) before it starts")));
        let holidays = SOURCES[5].1.replacen("\"2026-05-09\"", "\"2027-05-09\"", 1);
        assert!(with(5, holidays)
            .iter()
            .any(|e| e.contains("year 2026: `make_up_days` must be a date YYYY-MM-DD in 2026")));
    }
}
