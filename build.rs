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
/// build host, so this block exists only there; a cross build from another OS uses the next one.
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

/// A Windows build on another OS (scripts/cross-env.sh): the same icon and version resource,
/// compiled by MinGW's `windres` (installed with the MinGW linker the build needs anyway) and
/// linked into the binary. Without `windres` the build goes on without them and says so.
#[cfg(not(windows))]
fn windows_resources() {
    let env = |k: &str| std::env::var(k).unwrap_or_default();
    if env("CARGO_CFG_TARGET_OS") != "windows" || env("CARGO_CFG_TARGET_ENV") != "gnu" {
        return;
    }
    println!("cargo:rerun-if-changed=assets/icon.ico");
    let windres = format!("{}-w64-mingw32-windres", env("CARGO_CFG_TARGET_ARCH"));
    let out = std::path::PathBuf::from(env("OUT_DIR"));
    let icon = std::path::Path::new(&env("CARGO_MANIFEST_DIR")).join("assets/icon.ico");
    let version = env("CARGO_PKG_VERSION");
    let numeric: Vec<&str> = version
        .split(['.', '-', '+'])
        .take(3)
        .chain(["0"; 4])
        .take(4)
        .collect();
    let numeric = numeric.join(",");
    let rc = format!(
        r#"1 ICON "{icon}"
1 VERSIONINFO
FILEVERSION {numeric}
PRODUCTVERSION {numeric}
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "ProductName", "DeepSeek Advisor"
      VALUE "FileDescription", "DeepSeek Advisor"
      VALUE "FileVersion", "{version}"
      VALUE "ProductVersion", "{version}"
      VALUE "OriginalFilename", "deepseek-advisor.exe"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
"#,
        icon = icon.display().to_string().replace('\\', "/"),
    );
    let rc_path = out.join("resources.rc");
    let obj = out.join("resources.o");
    std::fs::write(&rc_path, rc)
        .unwrap_or_else(|e| panic!("{}: cannot write: {e}", rc_path.display()));
    match std::process::Command::new(&windres)
        .args(["-O", "coff", "-i"])
        .arg(&rc_path)
        .arg("-o")
        .arg(&obj)
        .status()
    {
        Ok(s) if s.success() => println!("cargo:rustc-link-arg-bins={}", obj.display()),
        Ok(s) => panic!("{windres} failed ({s}) on {}", rc_path.display()),
        Err(e) => println!(
            "cargo:warning={windres} not found ({e}): the .exe gets no icon or version resource"
        ),
    }
}
