//! The command line (DESIGN.md §5). `run` parses arguments, dispatches, prints, and returns the
//! exit code: 0 ok, 2 bad input (message on stderr naming the argument), 1 internal error.

mod accuracy_cmd;
mod bench_cmd;
mod buy_cmd;
mod catalog_cmd;
mod check_cmd;
mod deploy_cmd;
mod estimate_cmd;
mod estimate_file;
pub mod json;
pub mod measured;
mod plan_cmd;
mod prices_arg;
mod report_cmd;
pub mod table;

use crate::catalog::schema::SpeculativeKind;
use crate::catalog::Catalog;
use crate::estimate::grid::RuntimeChoice;
use crate::hardware::machine::parse_gpu_arg;
use crate::hardware::{HardwareProfile, Machine, MachineError};
use crate::lang::Lang;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

/// Exit code for bad input.
pub const EXIT_BAD_INPUT: i32 = 2;
/// Exit code for an internal error.
pub const EXIT_INTERNAL: i32 = 1;

#[derive(Parser, Debug)]
#[command(
    name = "deepseek-advisor",
    version,
    about = "Which DeepSeek model runs on this machine, how fast, and what deployment costs least",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Scenario file to open in the app.
    pub scenario: Option<PathBuf>,
    /// Open the app on this tab.
    #[arg(long, value_enum)]
    pub tab: Option<TabArg>,
    /// Open the wizard at this step (1 = the first question; one past the last = the result).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub step: Option<i64>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum TabArg {
    Verdict,
    Wizard,
    Costs,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// This machine (or the described one) and every DeepSeek model on it, best choice first.
    Check(CheckArgs),
    /// Memory, placement, speed and verdict for one model and quantization.
    Estimate(EstimateArgs),
    /// The deployment recommendation and costs for a scenario file.
    Plan(PlanArgs),
    /// List the catalogs: models, quants, gpus or cloud.
    Catalog(CatalogArgs),
    /// A shareable report of a scenario: verdict, recommendation, costs, charts, assumptions.
    Report(ReportArgs),
    /// Write the scripts, docker-compose.yml or Kubernetes manifests that start a plan's option.
    Deploy(DeployArgs),
    /// What hardware to buy for a budget: every machine the catalog prices, estimated, cheapest first.
    Buy(BuyArgs),
    /// Measure a model server that already runs (Ollama, llama.cpp, LM Studio, vLLM, SGLang) on
    /// this machine or at --url; --save keeps it to correct this machine's estimates.
    Bench(BenchArgs),
    /// How far to trust an estimate: the measurement catalog and the estimator's cross-validated error.
    Accuracy(AccuracyArgs),
}

#[derive(Args, Debug)]
pub struct AccuracyArgs {
    /// Also list every scored measurement against its estimate (source left out), worst first.
    #[arg(long)]
    pub list: bool,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Run the fit over the measurement catalog and write it to FILE (the committed copy is
    /// assets/catalog/fitted.ron, which the estimator reads).
    #[arg(long, value_name = "FILE")]
    pub fit: Option<std::path::PathBuf>,
    /// Output language: en or zh (default from the system locale).
    #[arg(long, value_name = "en|zh")]
    pub lang: Option<String>,
}

/// Hardware flags shared by the subcommands that estimate. Without any, this machine is detected.
#[derive(Args, Debug, Clone, Default)]
pub struct HardwareArgs {
    /// A hardware profile saved with `check --save-hardware`; other flags override its values.
    #[arg(long, value_name = "FILE.ron")]
    pub hardware: Option<PathBuf>,
    /// GPU by catalog id or detected name, optionally with a count: `rtx-4090`, `"NVIDIA H100 80GB HBM3":8`.
    #[arg(long = "gpu", value_name = "NAME[:COUNT]")]
    pub gpu: Vec<String>,
    /// System RAM in GB.
    #[arg(long, value_name = "GB", allow_negative_numbers = true)]
    pub ram: Option<f64>,
    /// CPU memory bandwidth in GB/s.
    #[arg(
        long = "cpu-mem-bw",
        value_name = "GBPS",
        allow_negative_numbers = true
    )]
    pub cpu_mem_bw: Option<f64>,
    /// Physical CPU cores.
    #[arg(long = "cpu-cores", value_name = "N", allow_negative_numbers = true)]
    pub cpu_cores: Option<u32>,
    /// Read bandwidth of the disk holding the weights, GB/s (SSD streaming; default from the
    /// detected disk kind: 3.5 for an SSD, 0.2 for a hard disk).
    #[arg(long = "ssd-gbps", value_name = "GBPS", allow_negative_numbers = true)]
    pub ssd_gbps: Option<f64>,
}

impl HardwareArgs {
    fn flags_given(&self) -> bool {
        !self.gpu.is_empty()
            || self.ram.is_some()
            || self.cpu_mem_bw.is_some()
            || self.cpu_cores.is_some()
    }

    /// Applies `--ssd-gbps` to a resolved machine.
    fn apply_disk(&self, m: &mut Machine) -> Result<(), CliError> {
        if let Some(g) = self.ssd_gbps {
            m.set_ssd_read_gbs(g)
                .map_err(|e| CliError::bad_input(e.to_string()))?;
        }
        Ok(())
    }

    fn gpus(&self, catalog: &Catalog) -> Result<Vec<crate::hardware::GpuGroup>, MachineError> {
        self.gpu.iter().map(|g| parse_gpu_arg(catalog, g)).collect()
    }

    /// The hardware to estimate against and its profile: from `--hardware`, from the flags alone,
    /// or detected — the flags overriding what the file or detection found.
    pub fn resolve(&self, catalog: &Catalog) -> Result<(HardwareProfile, Machine), CliError> {
        let bad = |e: MachineError| CliError::bad_input(e.to_string());
        let mut profile = match &self.hardware {
            Some(path) => HardwareProfile::load(path)
                .map_err(|e| CliError::bad_input(format!("--hardware: {e}")))?,
            None if self.flags_given() => {
                let mut m = Machine::from_parts(
                    self.gpus(catalog).map_err(bad)?,
                    self.ram,
                    self.cpu_mem_bw,
                    self.cpu_cores,
                )
                .map_err(bad)?;
                self.apply_disk(&mut m)?;
                return Ok((crate::hardware::profile::described(&m), m));
            }
            None => crate::hardware::detect::detect(),
        };
        if !self.gpu.is_empty() {
            let m = Machine::from_parts(self.gpus(catalog).map_err(bad)?, self.ram, None, None)
                .map_err(bad)?;
            profile.gpus = crate::hardware::profile::described(&m).gpus;
        }
        if let Some(r) = self.ram {
            profile.ram_total_gb = r;
            profile.ram_source = "user".into();
        }
        if let Some(b) = self.cpu_mem_bw {
            profile.cpu.mem_bw_gbs = b;
            profile.cpu.mem_bw_source = "user".into();
        }
        if let Some(c) = self.cpu_cores {
            profile.cpu.physical_cores = c;
        }
        // Overrides go through the same validation as flags.
        Machine::from_parts(Vec::new(), self.ram, self.cpu_mem_bw, self.cpu_cores).map_err(bad)?;
        let mut m = Machine::from_profile(&profile, catalog).map_err(bad)?;
        self.apply_disk(&mut m)?;
        Ok((profile, m))
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum RuntimeArg {
    /// The best runtime per model and quant on this hardware.
    Auto,
    #[value(name = "llama.cpp", alias = "llamacpp", alias = "llama-cpp")]
    LlamaCpp,
    Ollama,
    Vllm,
    Sglang,
    Ktransformers,
    Ds4,
    Mlx,
    #[value(name = "tensorrt-llm", alias = "trtllm", alias = "trt-llm")]
    TensorrtLlm,
}

impl From<RuntimeArg> for RuntimeChoice {
    fn from(r: RuntimeArg) -> Self {
        use crate::catalog::schema::Runtime as R;
        RuntimeChoice::One(match r {
            RuntimeArg::Auto => return RuntimeChoice::Auto,
            RuntimeArg::LlamaCpp => R::LlamaCpp,
            RuntimeArg::Ollama => R::Ollama,
            RuntimeArg::Vllm => R::Vllm,
            RuntimeArg::Sglang => R::Sglang,
            RuntimeArg::Ktransformers => R::Ktransformers,
            RuntimeArg::Ds4 => R::Ds4,
            RuntimeArg::Mlx => R::Mlx,
            RuntimeArg::TensorrtLlm => R::TensorrtLlm,
        })
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum SpeculativeArg {
    Off,
    /// The checkpoint's multi-token-prediction layers.
    Mtp,
    /// DeepSeek's DSpark module (V4-Flash-0731, V4-Pro-0813, V4.1-Flash).
    Dspark,
}

impl From<SpeculativeArg> for Option<SpeculativeKind> {
    fn from(s: SpeculativeArg) -> Self {
        match s {
            SpeculativeArg::Off => None,
            SpeculativeArg::Mtp => Some(SpeculativeKind::Mtp),
            SpeculativeArg::Dspark => Some(SpeculativeKind::Dspark),
        }
    }
}

#[derive(Args, Debug)]
pub struct EstimateArgs {
    /// Catalog model: id (`deepseek-r1`), repo id (`deepseek-ai/DeepSeek-R1`) or Ollama tag (`deepseek-r1:32b`).
    #[arg(
        long,
        required_unless_present_any = ["model_config", "file"],
        conflicts_with_all = ["model_config", "file"]
    )]
    pub model: Option<String>,
    /// A Hugging Face config.json for a model not in the catalog.
    #[arg(long = "model-config", value_name = "FILE")]
    pub model_config: Option<PathBuf>,
    /// A downloaded model to evaluate instead of --model/--quant: a .gguf file (any part of a split
    /// set) or a safetensors checkpoint folder. Only its header is read.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["model_config", "quant"])]
    pub file: Option<PathBuf>,
    /// Quantization: Q4_K_M, Q8_0, IQ1_S, UD-IQ1_S, FP8, BF16, INT8, AWQ … (case-insensitive).
    /// Default: what `check` picks — the best that runs on this machine, else the closest to fitting.
    #[arg(long)]
    pub quant: Option<String>,
    /// Context window the runtime allocates, tokens (default: 8192 or the model's maximum if smaller).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub context: Option<u32>,
    /// Sequences decoded together.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 1,
        allow_negative_numbers = true
    )]
    pub concurrency: u32,
    /// Inference runtime (default auto: the best of the runtimes that run the model and load the quant here).
    #[arg(long, value_enum, default_value = "auto")]
    pub runtime: RuntimeArg,
    /// KV-cache element type: auto (the runtime's default), f16, q8_0, q4_0 (llama.cpp/Ollama), fp8 (vLLM/SGLang) or f32 (ds4).
    #[arg(long = "kv-cache", value_name = "TYPE", default_value = "auto")]
    pub kv_cache: String,
    /// Speculative decoding with the checkpoint's MTP layers or DSpark module, where the runtime offers it.
    #[arg(long, value_enum, default_value = "off")]
    pub speculative: SpeculativeArg,
    /// Keep a MoE model's routed experts in RAM even when the GPUs could hold them (llama.cpp --cpu-moe).
    #[arg(long = "cpu-moe")]
    pub cpu_moe: bool,
    #[command(flatten)]
    pub hw: HardwareArgs,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Output language: en or zh (default from the system locale).
    #[arg(long, value_name = "en|zh")]
    pub lang: Option<String>,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub hw: HardwareArgs,
    /// Context window to allocate, tokens (clamped to each model's maximum).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 8192,
        allow_negative_numbers = true
    )]
    pub context: u32,
    /// Inference runtime (default auto: the best runtime per model and quant on this hardware).
    #[arg(long, value_enum, default_value = "auto")]
    pub runtime: RuntimeArg,
    /// Write the hardware profile to this file (RON) to reopen later with --hardware.
    #[arg(long = "save-hardware", value_name = "FILE.ron")]
    pub save_hardware: Option<PathBuf>,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Output language: en or zh (default from the system locale).
    #[arg(long, value_name = "en|zh")]
    pub lang: Option<String>,
}

/// Where prices come from: the user's price file and the day they are looked up for.
#[derive(Args, Debug, Clone, Default)]
pub struct PriceArgs {
    /// Your price file (RON): quotes that replace catalog prices row by row (see assets/prices-example.ron).
    #[arg(long, value_name = "FILE.ron")]
    pub prices: Option<PathBuf>,
    /// Look prices up as on this day (YYYY-MM-DD) instead of today, for reproducible answers.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// Scenario file (RON).
    pub scenario: PathBuf,
    #[command(flatten)]
    pub price: PriceArgs,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Output language: en or zh (default from the system locale).
    #[arg(long, value_name = "en|zh")]
    pub lang: Option<String>,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Scenario file (RON).
    pub scenario: PathBuf,
    #[command(flatten)]
    pub price: PriceArgs,
    /// md or html (default: from the --out file's extension).
    #[arg(long, value_name = "md|html")]
    pub format: Option<String>,
    /// Write the report here (Markdown charts go beside it as PNG files); default: print it.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Language: en or zh (default from the system locale).
    #[arg(long, value_name = "en|zh")]
    pub lang: Option<String>,
}

#[derive(Args, Debug)]
pub struct DeployArgs {
    /// Scenario file (RON).
    pub scenario: PathBuf,
    #[command(flatten)]
    pub price: PriceArgs,
    /// What to write: shell scripts, a docker-compose.yml or Kubernetes manifests.
    #[arg(long, value_enum)]
    pub target: deploy_cmd::TargetArg,
    /// Folder to write into (created if missing; must be empty unless --force).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The plan's option to deploy (default: the recommendation).
    #[arg(long, value_enum)]
    pub option: Option<deploy_cmd::OptionArg>,
    /// Write into a non-empty folder, replacing files of the same names.
    #[arg(long)]
    pub force: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum CurrencyArg {
    #[value(name = "CNY", alias = "cny", alias = "RMB", alias = "rmb")]
    Cny,
    #[value(name = "USD", alias = "usd")]
    Usd,
}

#[derive(Args, Debug)]
pub struct BuyArgs {
    /// Catalog model: id, repo id or Ollama tag.
    #[arg(long)]
    pub model: String,
    /// Quantization (default: every published one; the best that fits each machine is kept).
    #[arg(long)]
    pub quant: Option<String>,
    /// Inference runtime (default auto: the best runtime per machine).
    #[arg(long, value_enum, default_value = "auto")]
    pub runtime: RuntimeArg,
    /// The most you want to spend on the hardware, in --currency.
    #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
    pub budget: f64,
    #[arg(long, value_enum, default_value = "CNY")]
    pub currency: CurrencyArg,
    /// Slowest acceptable single-user decode speed, tokens/s (the estimate's middle value).
    #[arg(
        long = "min-tok-s",
        value_name = "N",
        default_value_t = 10.0,
        allow_negative_numbers = true
    )]
    pub min_tok_s: f64,
    /// Context window to allocate, tokens (clamped to the model's maximum).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 8192,
        allow_negative_numbers = true
    )]
    pub context: u32,
    #[command(flatten)]
    pub price: PriceArgs,
    /// Print JSON instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Output language: en or zh (default from the system locale).
    #[arg(long, value_name = "en|zh")]
    pub lang: Option<String>,
}

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// The server, `http://HOST:PORT` (default: look on 127.0.0.1 at Ollama 11434, llama-server
    /// 8080, LM Studio 1234, vLLM 8000 and SGLang 30000).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// The model to measure when the server serves several (as the server names it).
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// Users at once, one measurement level each: `1,4,16`.
    #[arg(long, value_name = "N,N,…", default_value = "1")]
    pub concurrency: String,
    /// Prompt length to send, tokens (about; the server's count is reported).
    #[arg(long = "prompt-tokens", value_name = "N", default_value_t = 512)]
    pub prompt_tokens: u32,
    /// Answer length, tokens.
    #[arg(long = "max-tokens", value_name = "N", default_value_t = 128)]
    pub max_tokens: u32,
    /// Requests per level at least (whole rounds of all users).
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub requests: u32,
    /// Stop with an error when the whole measurement takes longer, seconds.
    #[arg(long = "time-limit", value_name = "SECONDS", default_value_t = 300)]
    pub time_limit: u64,
    /// Bearer token for a server that needs one (else DEEPSEEK_ADVISOR_API_KEY; none is sent otherwise).
    #[arg(long = "api-key", value_name = "KEY")]
    pub api_key: Option<String>,
    /// Keep the result with this machine's profile: later estimates for this machine use it.
    #[arg(long)]
    pub save: bool,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Output language: en or zh (default from the system locale).
    #[arg(long, value_name = "en|zh")]
    pub lang: Option<String>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum CatalogKind {
    Models,
    Quants,
    Gpus,
    Cloud,
}

#[derive(Args, Debug)]
pub struct CatalogArgs {
    #[arg(value_enum)]
    pub kind: CatalogKind,
    /// Print JSON instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Output language: en or zh (default from the system locale).
    #[arg(long, value_name = "en|zh")]
    pub lang: Option<String>,
}

/// A failure with its exit code.
#[derive(Debug)]
pub struct CliError {
    pub code: i32,
    pub message: String,
}

impl CliError {
    pub fn bad_input(message: impl Into<String>) -> CliError {
        CliError {
            code: EXIT_BAD_INPUT,
            message: message.into(),
        }
    }
}

fn lang_arg(lang: &Option<String>) -> Result<Lang, CliError> {
    match lang {
        Some(l) => l
            .parse()
            .map_err(|e: String| CliError::bad_input(format!("--lang: {e}"))),
        None => Ok(Lang::from_system()),
    }
}

/// What `main` should do after the command line was read.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// A subcommand ran (or failed): exit with this code.
    Exit(i32),
    /// No subcommand: open the desktop app, optionally with a scenario file, tab and step.
    App(Launch),
}

/// What the command line asks the app to open.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Launch {
    /// A scenario file.
    pub open_path: Option<PathBuf>,
    /// The tab to show first.
    pub tab: Option<TabArg>,
    /// The wizard page to show (0-based; `wizard::steps::RESULT` is the result).
    pub wizard_step: Option<usize>,
}

/// The app's `--tab` and `--step`: `--step` alone opens the wizard.
fn launch(cli: &Cli) -> Result<Launch, CliError> {
    let pages = crate::wizard::steps::RESULT as i64 + 1;
    let wizard_step = match cli.step {
        None => None,
        Some(n) if (1..=pages).contains(&n) => Some((n - 1) as usize),
        Some(n) => {
            return Err(CliError::bad_input(format!(
                "--step: {n} is not a wizard step (1–{} are the questions, {pages} the result)",
                pages - 1
            )))
        }
    };
    let tab = match (cli.tab, wizard_step) {
        (Some(TabArg::Verdict | TabArg::Costs), Some(_)) => {
            return Err(CliError::bad_input(
                "--step: only the wizard has steps (use --tab wizard or leave --tab out)",
            ))
        }
        (Some(tab), None) => Some(tab),
        (Some(TabArg::Wizard), Some(_)) | (None, Some(_)) => Some(TabArg::Wizard),
        (None, None) => None,
    };
    Ok(Launch {
        open_path: cli.scenario.clone(),
        tab,
        wizard_step,
    })
}

/// Parses the command line, runs a subcommand, writing to the given streams.
pub fn dispatch_with<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> Outcome
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_BAD_INPUT } else { 0 };
            let text = e.render().to_string();
            let _ = if code == 0 {
                write!(out, "{text}")
            } else {
                write!(err, "{text}")
            };
            return Outcome::Exit(code);
        }
    };
    let result = match &cli.command {
        Some(Command::Check(a)) => check_cmd::run(a, out),
        Some(Command::Estimate(a)) => estimate_cmd::run(a, out),
        Some(Command::Catalog(a)) => catalog_cmd::run(a, out),
        Some(Command::Plan(a)) => plan_cmd::run(a, out),
        Some(Command::Report(a)) => report_cmd::run(a, out, err),
        Some(Command::Deploy(a)) => deploy_cmd::run(a, out),
        Some(Command::Buy(a)) => buy_cmd::run(a, out),
        Some(Command::Bench(a)) => bench_cmd::run(a, out, err),
        Some(Command::Accuracy(a)) => accuracy_cmd::run(a, out),
        None => match launch(&cli) {
            Ok(l) => return Outcome::App(l),
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(()) => Outcome::Exit(0),
        Err(e) => {
            let _ = writeln!(err, "error: {}", e.message);
            Outcome::Exit(e.code)
        }
    }
}

/// Runs a subcommand and returns its exit code (the app is not opened: code 0).
pub fn run_with<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    match dispatch_with(args, out, err) {
        Outcome::Exit(code) => code,
        Outcome::App(_) => 0,
    }
}

/// Reads the process's arguments and runs a subcommand on the standard streams.
pub fn dispatch() -> Outcome {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    dispatch_with(std::env::args_os(), &mut stdout.lock(), &mut stderr.lock())
}
