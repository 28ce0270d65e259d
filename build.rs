//! Validates every catalog in `assets/catalog/` at build time: a typo fails the build with the
//! file, line:column and field (see `src/catalog/validate.rs`).

#[allow(dead_code)]
#[path = "src/catalog/schema.rs"]
mod schema;
#[path = "src/catalog/validate.rs"]
mod validate;

const FILES: [&str; 7] = [
    "assets/catalog/models.ron",
    "assets/catalog/quants.ron",
    "assets/catalog/gpus.ron",
    "assets/catalog/cpus.ron",
    "assets/catalog/cloud.ron",
    "assets/catalog/holidays.ron",
    "assets/catalog/measurements.ron",
];

fn main() {
    windows_resources();
    println!("cargo:rerun-if-changed=src/catalog/schema.rs");
    println!("cargo:rerun-if-changed=src/catalog/validate.rs");
    let texts: Vec<String> = FILES
        .iter()
        .map(|path| {
            println!("cargo:rerun-if-changed={path}");
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: cannot read: {e}"))
        })
        .collect();
    let sources: validate::Sources = std::array::from_fn(|i| (FILES[i], texts[i].as_str()));
    let errors = validate::validate_all(&sources);
    if !errors.is_empty() {
        for e in &errors {
            println!("cargo:warning={e}");
        }
        panic!("catalog validation failed:\n{}", errors.join("\n"));
    }
    measurements_as_json(&texts[6]);
}

/// Removes `null` fields (absent options: `#[serde(default)]` reads them back as `None`).
fn drop_nulls(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(drop_nulls);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// The measurement catalog again as JSON in OUT_DIR: the program parses that (serde_json reads the
/// 200 KB file several times faster than RON, and `check` loads it on every run). The RON file stays
/// the one people edit.
fn measurements_as_json(ron_text: &str) {
    let catalog: schema::MeasurementCatalog = ron::from_str(ron_text).expect("validated above");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("measurements.json");
    let mut value = serde_json::to_value(&catalog).expect("plain data serializes");
    drop_nulls(&mut value);
    let json = serde_json::to_string(&value).expect("plain data serializes");
    std::fs::write(&out, json).unwrap_or_else(|e| panic!("{}: cannot write: {e}", out.display()));
}

/// Windows builds: the .exe's icon and version resource (winresource takes the version and
/// description from Cargo.toml). `winresource` is a build dependency only where Windows is the
/// build host, so this block exists only there; a cross build from another OS goes without it.
#[cfg(windows)]
fn windows_resources() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    println!("cargo:rerun-if-changed=assets/icon.ico");
    let mut res = winresource::WindowsResource::new();
    res.set_icon("assets/icon.ico");
    res.set("ProductName", "DeepSeek Advisor");
    res.set("FileDescription", "DeepSeek Advisor");
    if let Err(e) = res.compile() {
        panic!("Windows resources (icon, version): {e}");
    }
}

#[cfg(not(windows))]
fn windows_resources() {}
