//! The seeds' rule of thumb as a decision tree (seed 001: fewer than 5,000 requests/day → cloud,
//! 5,000–50,000 → one local server with quantization, more than 50,000 → a cluster; seed 000:
//! regulated data stays on-premises). Each question asks about one input (the wizard shows it as
//! one of its steps); every branch says when it is taken and where it leads.
//! `cost::analysis::rule_of_thumb` and the wizard's decision both walk this tree.

use super::options::OptionKind;
use super::CostInputs;
use crate::lang::Lang;

/// What a question of the rule asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asks {
    /// Requests per day.
    Volume,
    /// Whether the data is regulated.
    RegulatedData,
}

/// When a branch is taken.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Condition {
    /// Requests per day below the bound.
    VolumeBelow(f64),
    /// Requests per day from `lo` up to and including `hi`.
    VolumeWithin(f64, f64),
    /// Requests per day above the bound.
    VolumeAbove(f64),
    /// The data is (or is not) regulated.
    Regulated(bool),
}

impl Condition {
    pub fn holds(self, inputs: &CostInputs) -> bool {
        let v = inputs.workload.requests_per_day;
        match self {
            Condition::VolumeBelow(b) => v < b,
            Condition::VolumeWithin(lo, hi) => v >= lo && v <= hi,
            Condition::VolumeAbove(b) => v > b,
            Condition::Regulated(r) => inputs.constraints.regulated == r,
        }
    }
}

/// Where a branch leads: another question (an index into `RULE_TREE`) or an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Question(usize),
    Option(OptionKind),
}

#[derive(Debug, Clone, Copy)]
pub struct Branch {
    pub when: Condition,
    /// The edge's label: `[English, Chinese]`.
    pub label: [&'static str; 2],
    pub to: Target,
    /// The rule, said in full, for a branch that ends at an option.
    pub rule: [&'static str; 2],
}

impl Branch {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.label[0], self.label[1])
    }

    pub fn rule(&self, lang: Lang) -> &'static str {
        lang.pick(self.rule[0], self.rule[1])
    }
}

/// A question of the tree: what it asks and its branches (exactly one holds for any input).
#[derive(Debug, Clone, Copy)]
pub struct Question {
    pub asks: Asks,
    pub branches: &'static [Branch],
}

const LOW: f64 = 5_000.0;
const HIGH: f64 = 50_000.0;

/// The tree; its root is the first question.
pub const RULE_TREE: [Question; 2] = [
    Question {
        asks: Asks::Volume,
        branches: &[
            Branch {
                when: Condition::VolumeBelow(LOW),
                label: ["< 5,000", "< 5,000"],
                to: Target::Question(1),
                rule: ["", ""],
            },
            Branch {
                when: Condition::VolumeWithin(LOW, HIGH),
                label: ["5,000–50,000", "5,000–50,000"],
                to: Target::Option(OptionKind::LocalServer),
                rule: [
                    "5,000–50,000 requests/day → local server with quantization",
                    "每天 5,000–50,000 次请求 → 本地部署 + 模型量化",
                ],
            },
            Branch {
                when: Condition::VolumeAbove(HIGH),
                label: ["> 50,000", "> 50,000"],
                to: Target::Option(OptionKind::LocalCluster),
                rule: [
                    "more than 50,000 requests/day → cluster",
                    "每天超过 50,000 次请求 → 分布式集群",
                ],
            },
        ],
    },
    Question {
        asks: Asks::RegulatedData,
        branches: &[
            Branch {
                when: Condition::Regulated(false),
                label: ["no", "否"],
                to: Target::Option(OptionKind::Api),
                rule: [
                    "fewer than 5,000 requests/day → cloud",
                    "每天少于 5,000 次请求 → 云服务",
                ],
            },
            Branch {
                when: Condition::Regulated(true),
                label: ["yes", "是"],
                to: Target::Option(OptionKind::LocalServer),
                rule: ["regulated data → on-premises", "受监管数据 → 本地部署"],
            },
        ],
    },
];

/// A branch taken: the question's index in `RULE_TREE` and the branch's index in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Taken {
    pub question: usize,
    pub branch: usize,
}

/// The rule's path through the tree for these answers, and the branch that ended it.
#[derive(Debug, Clone, PartialEq)]
pub struct RulePath {
    pub taken: Vec<Taken>,
    pub option: OptionKind,
}

impl RulePath {
    /// The branch that reached the option.
    pub fn last(&self) -> Option<&'static Branch> {
        self.taken
            .last()
            .map(|t| &RULE_TREE[t.question].branches[t.branch])
    }

    /// The rule that decided, said in full.
    pub fn rule(&self, lang: Lang) -> &'static str {
        self.last().map_or("", |b| b.rule(lang))
    }

    pub fn passes(&self, question: usize, branch: usize) -> bool {
        self.taken.contains(&Taken { question, branch })
    }
}

/// Walks the tree from the root: at each question the first branch whose condition holds.
pub fn walk(inputs: &CostInputs) -> RulePath {
    let mut taken = Vec::new();
    let mut at = 0;
    // A tree of n questions has paths of at most n branches; the bound also stops a cycle.
    for _ in 0..RULE_TREE.len() {
        let q = &RULE_TREE[at];
        let Some((i, b)) = q
            .branches
            .iter()
            .enumerate()
            .find(|(_, b)| b.when.holds(inputs))
        else {
            break;
        };
        taken.push(Taken {
            question: at,
            branch: i,
        });
        match b.to {
            Target::Question(next) => at = next,
            Target::Option(option) => return RulePath { taken, option },
        }
    }
    // Unreachable for the tree above (tests check every question's branches cover all inputs);
    // a partial answer falls back to the API, the rule's answer for small volumes.
    RulePath {
        taken,
        option: OptionKind::Api,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn inputs(v: f64, regulated: bool) -> CostInputs {
        let mut i = CostInputs::default();
        i.workload.requests_per_day = v;
        i.constraints.regulated = regulated;
        i
    }

    #[test]
    fn the_seeds_rule() {
        use OptionKind::*;
        for (v, reg, want) in [
            (100.0, false, Api),
            (4_999.0, false, Api),
            (5_000.0, false, LocalServer),
            (50_000.0, false, LocalServer),
            (50_001.0, false, LocalCluster),
            (100.0, true, LocalServer),
            (20_000.0, true, LocalServer),
            (100_000.0, true, LocalCluster),
        ] {
            assert_eq!(walk(&inputs(v, reg)).option, want, "{v} regulated={reg}");
        }
    }

    #[test]
    fn every_question_is_reachable_and_every_branch_labelled() {
        for (qi, q) in RULE_TREE.iter().enumerate() {
            let reached = qi == 0
                || RULE_TREE
                    .iter()
                    .flat_map(|q| q.branches)
                    .any(|b| b.to == Target::Question(qi));
            assert!(reached, "question {qi} unreachable");
            for b in q.branches {
                assert!(!b.label[0].is_empty() && !b.label[1].is_empty());
                if let Target::Option(_) = b.to {
                    assert!(!b.rule[0].is_empty() && !b.rule[1].is_empty());
                }
            }
        }
    }

    proptest! {
        #[test]
        fn exactly_one_branch_holds(v in 0.0f64..1e9, reg: bool) {
            let i = inputs(v, reg);
            for q in &RULE_TREE {
                prop_assert_eq!(q.branches.iter().filter(|b| b.when.holds(&i)).count(), 1);
            }
            let path = walk(&i);
            prop_assert!(path.last().is_some());
            prop_assert_eq!(path.last().map(|b| b.to), Some(Target::Option(path.option)));
        }
    }
}
