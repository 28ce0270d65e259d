//! A command line as data: program, arguments and environment, where some arguments hold values
//! only known where the command runs (the node's rank, the head node's address). Each target
//! spells those its own way: shell variables, Compose interpolation, Kubernetes `$(VAR)`.

/// A value the command learns where it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Var {
    /// This node's rank inside its instance (0 = head).
    NodeRank,
    /// The address of the instance's head node.
    HeadAddress,
    /// Nodes in the instance.
    NodeCount,
    /// Where the prefill instance's head serves (host, no scheme or port).
    PrefillAddress,
    /// Where the decode instance's head serves.
    DecodeAddress,
    /// The folder holding the weights.
    ModelDir,
    /// The GGUF file an engine loads: the first part of a split set, by its own name, so the
    /// engine finds the other parts beside it (`…-00001-of-00009.gguf`).
    ModelFile,
    /// The folder holding GGUF weights a runtime reads beside the checkpoint (KTransformers'
    /// CPU experts).
    GgufDir,
    /// The Hugging Face repo of weights the catalog names no publisher for (the user chooses).
    WeightsRepo,
}

impl Var {
    /// The environment variable the shell and Compose targets read.
    pub fn env_name(self) -> &'static str {
        match self {
            Var::NodeRank => "NODE_RANK",
            Var::HeadAddress => "HEAD_ADDR",
            Var::NodeCount => "NODE_COUNT",
            Var::PrefillAddress => "PREFILL_ADDR",
            Var::DecodeAddress => "DECODE_ADDR",
            Var::ModelDir => "MODEL_DIR",
            Var::ModelFile => "MODEL_FILE",
            Var::GgufDir => "GGUF_DIR",
            Var::WeightsRepo => "WEIGHTS_REPO",
        }
    }
}

/// Part of an argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Var(Var),
}

/// One argument: literal text and variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg(pub Vec<Piece>);

impl Arg {
    pub fn text(s: impl Into<String>) -> Arg {
        Arg(vec![Piece::Text(s.into())])
    }

    pub fn var(v: Var) -> Arg {
        Arg(vec![Piece::Var(v)])
    }

    /// Renders with `var` spelling each variable and `text` escaping literal text.
    pub fn render(&self, var: &dyn Fn(Var) -> String, text: &dyn Fn(&str) -> String) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Text(t) => text(t),
                Piece::Var(v) => var(*v),
            })
            .collect()
    }

    /// The variables this argument reads.
    pub fn vars(&self) -> impl Iterator<Item = Var> + '_ {
        self.0.iter().filter_map(|p| match p {
            Piece::Var(v) => Some(*v),
            Piece::Text(_) => None,
        })
    }
}

/// A command to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    /// Environment set for the command (name, value).
    pub env: Vec<(String, String)>,
    pub argv: Vec<Arg>,
    /// How many leading words of `argv` name the program (`python3 -m sglang.launch_server`).
    pub program_len: usize,
    /// Why a flag is there or was left out; written as comments beside the command.
    pub notes: Vec<String>,
}

impl Launch {
    pub fn new(program: &[&str]) -> Launch {
        Launch {
            env: Vec::new(),
            argv: program.iter().map(|p| Arg::text(*p)).collect(),
            program_len: program.len(),
            notes: Vec::new(),
        }
    }

    /// Appends literal arguments.
    pub fn args(&mut self, args: &[&str]) -> &mut Launch {
        self.argv.extend(args.iter().map(|a| Arg::text(*a)));
        self
    }

    /// Appends a flag and its value.
    pub fn flag(&mut self, name: &str, value: impl ToString) -> &mut Launch {
        self.argv.push(Arg::text(name));
        self.argv.push(Arg::text(value.to_string()));
        self
    }

    pub fn arg(&mut self, a: Arg) -> &mut Launch {
        self.argv.push(a);
        self
    }

    pub fn env(&mut self, name: &str, value: impl ToString) -> &mut Launch {
        self.env.push((name.into(), value.to_string()));
        self
    }

    pub fn note(&mut self, n: impl Into<String>) -> &mut Launch {
        self.notes.push(n.into());
        self
    }

    /// The variables the command reads.
    pub fn vars(&self) -> Vec<Var> {
        let mut out: Vec<Var> = Vec::new();
        for v in self.argv.iter().flat_map(Arg::vars) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out
    }

    /// The argv with every variable replaced by `value(var)`.
    pub fn resolved(&self, value: &dyn Fn(Var) -> String) -> Vec<String> {
        self.argv
            .iter()
            .map(|a| a.render(value, &|t| t.to_string()))
            .collect()
    }

    /// One line for a POSIX shell: literal text single-quoted where needed, variables expanded.
    pub fn shell_line(&self) -> String {
        let mut words: Vec<String> = self
            .env
            .iter()
            .map(|(k, v)| format!("{k}={}", shell_quote(v)))
            .collect();
        words.extend(self.argv.iter().map(shell_word));
        words.join(" ")
    }
}

/// Characters a shell word may hold unquoted.
fn plain_shell(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'_' | b'.' | b'/' | b':' | b'=' | b',' | b'+' | b'@' | b'%'
                )
        })
}

/// Quotes literal text for a POSIX shell.
pub fn shell_quote(s: &str) -> String {
    if plain_shell(s) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// One shell word: literal parts quoted, variables as `"${NAME}"`.
pub fn shell_word(a: &Arg) -> String {
    a.render(&|v| format!("\"${{{}}}\"", v.env_name()), &|t| {
        if t.is_empty() {
            String::new()
        } else {
            shell_quote(t)
        }
    })
}
