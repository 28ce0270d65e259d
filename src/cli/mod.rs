//! The command line (DESIGN.md §5). `run` parses arguments, dispatches, prints, and returns the
//! exit code: 0 ok, 2 bad input (message on stderr naming the argument), 1 internal error.

mod catalog_cmd;
mod check_cmd;
mod estimate_cmd;
pub mod json;
mod plan_cmd;
pub mod table;

use crate::catalog::Catalog;
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
}

impl HardwareArgs {
    fn flags_given(&self) -> bool {
        !self.gpu.is_empty()
            || self.ram.is_some()
            || self.cpu_mem_bw.is_some()
            || self.cpu_cores.is_some()
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
                let m = Machine::from_parts(
                    self.gpus(catalog).map_err(bad)?,
                    self.ram,
                    self.cpu_mem_bw,
                    self.cpu_cores,
                )
                .map_err(bad)?;
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
        let m = Machine::from_profile(&profile, catalog).map_err(bad)?;
        Ok((profile, m))
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum RuntimeArg {
    #[value(name = "llama.cpp", alias = "llamacpp", alias = "llama-cpp")]
    LlamaCpp,
    Ollama,
    Vllm,
    Sglang,
    Ktransformers,
}

impl From<RuntimeArg> for crate::catalog::schema::Runtime {
    fn from(r: RuntimeArg) -> Self {
        use crate::catalog::schema::Runtime as R;
        match r {
            RuntimeArg::LlamaCpp => R::LlamaCpp,
            RuntimeArg::Ollama => R::Ollama,
            RuntimeArg::Vllm => R::Vllm,
            RuntimeArg::Sglang => R::Sglang,
            RuntimeArg::Ktransformers => R::Ktransformers,
        }
    }
}

#[derive(Args, Debug)]
pub struct EstimateArgs {
    /// Catalog model: id (`deepseek-r1`), repo id (`deepseek-ai/DeepSeek-R1`) or Ollama tag (`deepseek-r1:32b`).
    #[arg(
        long,
        required_unless_present = "model_config",
        conflicts_with = "model_config"
    )]
    pub model: Option<String>,
    /// A Hugging Face config.json for a model not in the catalog.
    #[arg(long = "model-config", value_name = "FILE")]
    pub model_config: Option<PathBuf>,
    /// Quantization: Q4_K_M, Q8_0, IQ1_S, UD-IQ1_S, FP8, BF16, INT8, AWQ … (case-insensitive).
    #[arg(long)]
    pub quant: String,
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
    /// Inference runtime (default: the first that loads the quant: llama.cpp for GGUF, vllm for safetensors).
    #[arg(long, value_enum)]
    pub runtime: Option<RuntimeArg>,
    /// KV-cache element type: f16, q8_0, q4_0 (llama.cpp/Ollama) or fp8 (vLLM/SGLang).
    #[arg(long = "kv-cache", value_name = "TYPE", default_value = "f16")]
    pub kv_cache: String,
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
    /// Inference runtime.
    #[arg(long, value_enum, default_value = "llama.cpp")]
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

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// Scenario file (RON).
    pub scenario: PathBuf,
    /// Print JSON instead of tables.
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
    App(crate::app::Launch),
}

/// The app's `--tab` and `--step`: `--step` alone opens the wizard.
fn launch(cli: &Cli) -> Result<crate::app::Launch, CliError> {
    use crate::app::state::Tab;
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
        (Some(TabArg::Verdict), None) => Some(Tab::Verdict),
        (Some(TabArg::Costs), None) => Some(Tab::Costs),
        (Some(TabArg::Wizard), _) | (None, Some(_)) => Some(Tab::Wizard),
        (None, None) => None,
    };
    Ok(crate::app::Launch {
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
