//! The installers made on Linux: the macOS app bundle (scripts/package-macos.py) holds an
//! Info.plist that parses and declares the scenario document type, and an .icns icon; the MSI
//! (scripts/package-windows.sh, wixl) carries the `.ron` "Open with" association and the icon,
//! read back with msiinfo. Tools that are missing skip a test with a note, unless
//! DEEPSEEK_ADVISOR_REQUIRE_TOOLS=1 (set by `.ci/run`) makes that a failure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether every tool is there; a missing one fails when CI asks for them.
fn tools(tools: &[&str]) -> bool {
    let missing: Vec<&str> = tools.iter().copied().filter(|t| !have(t)).collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var("DEEPSEEK_ADVISOR_REQUIRE_TOOLS").as_deref() != Ok("1"),
        "{missing:?} not installed and DEEPSEEK_ADVISOR_REQUIRE_TOOLS=1 (apt-get install -y python3 msitools wixl)"
    );
    eprintln!("{missing:?} not installed: skipped");
    false
}

fn run(cmd: &mut Command) -> String {
    let o = cmd.current_dir(root()).output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "{cmd:?} failed:\n{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dsa-installers-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A property-list value.
#[derive(Debug, Clone, PartialEq)]
enum Plist {
    Str(String),
    Bool(bool),
    Array(Vec<Plist>),
    Dict(BTreeMap<String, Plist>),
}

impl Plist {
    fn get(&self, key: &str) -> &Plist {
        match self {
            Plist::Dict(d) => d
                .get(key)
                .unwrap_or_else(|| panic!("no key {key} in {d:?}")),
            other => panic!("{other:?} is not a dict (looking up {key})"),
        }
    }
    fn str(&self) -> &str {
        match self {
            Plist::Str(s) => s,
            other => panic!("{other:?} is not a string"),
        }
    }
    fn at(&self, i: usize) -> &Plist {
        match self {
            Plist::Array(a) => &a[i],
            other => panic!("{other:?} is not an array"),
        }
    }
}

fn plist_value(node: roxmltree::Node) -> Plist {
    let children: Vec<roxmltree::Node> = node.children().filter(|c| c.is_element()).collect();
    match node.tag_name().name() {
        "string" => Plist::Str(node.text().unwrap_or("").to_string()),
        "true" => Plist::Bool(true),
        "false" => Plist::Bool(false),
        "array" => Plist::Array(children.into_iter().map(plist_value).collect()),
        "dict" => {
            let mut map = BTreeMap::new();
            for pair in children.chunks(2) {
                assert_eq!(
                    pair[0].tag_name().name(),
                    "key",
                    "a dict alternates key and value"
                );
                map.insert(pair[0].text().unwrap().to_string(), plist_value(pair[1]));
            }
            Plist::Dict(map)
        }
        other => panic!("unexpected plist element <{other}>"),
    }
}

fn parse_plist(text: &str) -> Plist {
    let doc = roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap();
    let plist = doc.root_element();
    assert_eq!(plist.tag_name().name(), "plist");
    assert_eq!(plist.attribute("version"), Some("1.0"));
    let top = plist.children().find(|c| c.is_element()).unwrap();
    plist_value(top)
}

fn be_u32(b: &[u8]) -> u32 {
    u32::from_be_bytes(b[..4].try_into().unwrap())
}

#[test]
fn the_macos_bundle_declares_the_scenario_type_and_has_its_icon() {
    if !tools(&["python3"]) {
        return;
    }
    let dir = temp("macos");
    let out = run(Command::new("python3").args([
        "scripts/package-macos.py",
        "--layout-only",
        dir.to_str().unwrap(),
        "--quick",
    ]));
    let zip = PathBuf::from(out.lines().last().unwrap());
    assert_eq!(
        zip.file_name().unwrap().to_str().unwrap(),
        format!(
            "DeepSeek-Advisor-{}-macos-layout-only.zip",
            env!("CARGO_PKG_VERSION")
        )
    );
    let unpacked = dir.join("unpacked");
    run(Command::new("python3")
        .args(["-m", "zipfile", "-e"])
        .arg(&zip)
        .arg(&unpacked));
    let contents = unpacked.join("DeepSeek Advisor.app/Contents");
    let info = parse_plist(&std::fs::read_to_string(contents.join("Info.plist")).unwrap());

    assert_eq!(info.get("CFBundlePackageType").str(), "APPL");
    assert_eq!(info.get("CFBundleExecutable").str(), "deepseek-advisor");
    assert_eq!(
        info.get("CFBundleIdentifier").str(),
        "io.github.deepseek-advisor"
    );
    assert_eq!(
        info.get("CFBundleShortVersionString").str(),
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(info.get("NSHighResolutionCapable"), &Plist::Bool(true));

    // The document type points at the exported type, which is tagged `.ron` and carries the
    // same MIME type as the Linux package's shared-mime-info file.
    let doc_type = info.get("CFBundleDocumentTypes").at(0);
    assert_eq!(doc_type.get("CFBundleTypeRole").str(), "Editor");
    let uti = doc_type.get("LSItemContentTypes").at(0).str();
    assert_eq!(uti, "io.github.deepseek-advisor.scenario");
    let exported = info.get("UTExportedTypeDeclarations").at(0);
    assert_eq!(exported.get("UTTypeIdentifier").str(), uti);
    let tags = exported.get("UTTypeTagSpecification");
    assert_eq!(tags.get("public.filename-extension").at(0).str(), "ron");
    let mime = tags.get("public.mime-type").at(0).str();
    let linux_mime =
        std::fs::read_to_string(root().join("assets/deepseek-advisor-scenario.xml")).unwrap();
    assert!(linux_mime.contains(&format!("type=\"{mime}\"")), "{mime}");

    // The icon file named by Info.plist: an .icns whose length field is its size, holding the
    // 256 px PNG.
    let icns_name = format!("{}.icns", info.get("CFBundleIconFile").str());
    let icns = std::fs::read(contents.join("Resources").join(icns_name)).unwrap();
    assert_eq!(&icns[..4], b"icns");
    assert_eq!(be_u32(&icns[4..]) as usize, icns.len());
    assert_eq!(&icns[8..12], b"ic08");
    let png = &icns[16..];
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!((be_u32(&png[16..]), be_u32(&png[20..])), (256, 256));
    assert_eq!(
        std::fs::read_to_string(contents.join("PkgInfo")).unwrap(),
        "APPL????"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn msi_table(msi: &Path, table: &str) -> Vec<Vec<String>> {
    run(Command::new("msiinfo").arg("export").arg(msi).arg(table))
        .lines()
        .skip(3) // column names, column types, table name
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
fn the_msi_offers_the_app_for_ron_files_and_carries_the_icon() {
    if !tools(&["wixl", "msiinfo", "bash"]) {
        return;
    }
    // The association and the icon do not depend on the program's bytes: a stand-in exe keeps
    // this test from needing a Windows build.
    let dir = temp("msi");
    let exe = dir.join("deepseek-advisor.exe");
    std::fs::write(&exe, b"MZ stand-in for the Windows build").unwrap();
    let out = run(Command::new("scripts/package-windows.sh").arg(&exe));
    let msi = root().join(out.lines().last().unwrap());
    assert!(
        out.contains("ok: .ron offers DeepSeek Advisor in Open with"),
        "{out}"
    );

    // Read back independently of the script's own checks.
    let registry = msi_table(&msi, "Registry");
    let row = |key: &str| {
        registry
            .iter()
            .find(|r| r[2] == key)
            .unwrap_or_else(|| panic!("no registry key {key}: {registry:?}"))
            .clone()
    };
    let open_with = row(r"Software\Classes\.ron\OpenWithProgids");
    assert_eq!(open_with[1], "2", "HKLM");
    assert_eq!(open_with[3], "DeepSeekAdvisor.Scenario");
    let command = row(r"Software\Classes\DeepSeekAdvisor.Scenario\shell\open\command");
    assert_eq!(
        command[4],
        r#""[APPLICATIONFOLDER]deepseek-advisor.exe" "%1""#
    );
    // `.ron` itself is not taken over: no default value is written for it.
    assert!(!registry.iter().any(|r| r[2] == r"Software\Classes\.ron"));

    let icon = run(Command::new("msiinfo").arg("streams").arg(&msi))
        .lines()
        .any(|s| s == "Icon.AppIcon");
    assert!(icon, "no Icon.AppIcon stream");
    let ico = Command::new("msiinfo")
        .arg("extract")
        .arg(&msi)
        .arg("Icon.AppIcon")
        .output()
        .unwrap()
        .stdout;
    assert_eq!(ico, std::fs::read(root().join("assets/icon.ico")).unwrap());
    let files = msi_table(&msi, "File");
    assert!(files
        .iter()
        .any(|r| r[2] == "deepseek-advisor.exe" && r[3] == "33"));
    let _ = std::fs::remove_dir_all(&dir);
}
