//! The decision drawn: the seeds' rule-of-thumb tree (left) leading to the four options (middle),
//! the other answers (right) leading to the computed recommendation. The rule's path and the
//! computed path are lit in their own colours, every question shows its answer, every option its
//! monthly cost at the current volume; ruled-out options are greyed with the reason. Clicking a
//! question opens its step, clicking an option the result. Nodes are not in the Tab order (the
//! step's fields are); screen readers find them by label.

use crate::app::AdvisorApp;
use crate::cost::options::OptionKind;
use crate::cost::rule_of_thumb::{Target, RULE_TREE};
use crate::lang::{format_amount, format_with_symbol, Lang};
use crate::wizard::decision::{noun, Leaf};
use crate::wizard::steps::{Step, RESULT};
use crate::wizard::Decision;
use eframe::egui::{self, Color32, FontId, Pos2, Rect, Sense, Stroke, Vec2};

const HEADER: f32 = 18.0;
const LEAF_H: f32 = 54.0;
const LEAF_GAP: f32 = 6.0;
const NODE_H: f32 = 42.0;
/// Narrower than this, the tree scrolls sideways instead of squeezing.
const MIN_WIDTH: f32 = 680.0;

struct Palette {
    rule: Color32,
    computed: Color32,
    warn: Color32,
    text: Color32,
    strong: Color32,
    weak: Color32,
    edge: Color32,
    fill: Color32,
    dim_fill: Color32,
    stroke: Color32,
    current: Color32,
    label_bg: Color32,
}

impl Palette {
    fn of(v: &egui::Visuals) -> Palette {
        let (rule, computed) = if v.dark_mode {
            (
                Color32::from_rgb(240, 178, 62),
                Color32::from_rgb(96, 204, 126),
            )
        } else {
            (
                Color32::from_rgb(178, 104, 0),
                Color32::from_rgb(24, 128, 60),
            )
        };
        Palette {
            rule,
            computed,
            warn: v.warn_fg_color,
            text: v.text_color(),
            strong: v.strong_text_color(),
            weak: v.weak_text_color(),
            edge: v.widgets.noninteractive.bg_stroke.color,
            fill: v.extreme_bg_color,
            dim_fill: v.faint_bg_color,
            stroke: v.widgets.inactive.bg_stroke.color,
            current: v.selection.stroke.color,
            label_bg: v.panel_fill,
        }
    }
}

/// Draws one line of text, shortened with `…` to `width`.
fn text(
    painter: &egui::Painter,
    pos: Pos2,
    width: f32,
    s: &str,
    size: f32,
    color: Color32,
) -> Rect {
    let mut job =
        egui::text::LayoutJob::simple_singleline(s.to_owned(), FontId::proportional(size), color);
    job.wrap = egui::text::TextWrapping {
        max_width: width.max(1.0),
        max_rows: 1,
        break_anywhere: true,
        overflow_character: Some('…'),
    };
    let galley = painter.layout_job(job);
    let rect = Rect::from_min_size(pos, galley.size());
    painter.galley(pos, galley, color);
    rect
}

/// A small pill with text, right-aligned at `right`; returns its left edge.
fn badge(painter: &egui::Painter, right: Pos2, s: &str, color: Color32) -> f32 {
    let galley = painter.layout_no_wrap(s.to_owned(), FontId::proportional(11.0), color);
    let size = galley.size() + Vec2::new(8.0, 2.0);
    let rect = Rect::from_min_size(Pos2::new(right.x - size.x, right.y), size);
    painter.rect(
        rect,
        6.0,
        color.gamma_multiply(0.15),
        Stroke::new(1.0, color),
        egui::StrokeKind::Inside,
    );
    painter.galley(rect.min + Vec2::new(4.0, 1.0), galley, color);
    rect.left()
}

fn bezier(painter: &egui::Painter, from: Pos2, to: Pos2, stroke: Stroke) -> [Pos2; 4] {
    let dx = (to.x - from.x) * 0.5;
    let points = [
        from,
        Pos2::new(from.x + dx, from.y),
        Pos2::new(to.x - dx, to.y),
        to,
    ];
    painter.add(egui::epaint::CubicBezierShape::from_points_stroke(
        points,
        false,
        Color32::TRANSPARENT,
        stroke,
    ));
    let tip = if dx >= 0.0 { -1.0 } else { 1.0 };
    painter.line_segment([to, to + Vec2::new(6.0 * tip, -4.0)], stroke);
    painter.line_segment([to, to + Vec2::new(6.0 * tip, 4.0)], stroke);
    points
}

fn point_on(p: &[Pos2; 4], t: f32) -> Pos2 {
    let u = 1.0 - t;
    let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
    Pos2::new(
        p.iter().zip(w).map(|(q, k)| q.x * k).sum(),
        p.iter().zip(w).map(|(q, k)| q.y * k).sum(),
    )
}

fn edge_label(painter: &egui::Painter, at: Pos2, s: &str, color: Color32, bg: Color32) {
    let galley = painter.layout_no_wrap(s.to_owned(), FontId::proportional(11.5), color);
    let rect = Rect::from_center_size(at, galley.size() + Vec2::new(6.0, 2.0));
    painter.rect_filled(rect, 3.0, bg);
    painter.galley(rect.min + Vec2::new(3.0, 1.0), galley, color);
}

/// The accessible name of a question node, e.g. `Step 1: Requests per day — 8,000 a day`.
fn node_label(step: Step, d: &Decision, lang: Lang) -> String {
    let (n, title, answer) = (
        step.index() + 1,
        step.title(lang),
        step.answer(&d.inputs, lang),
    );
    match lang {
        Lang::En => format!("Step {n}: {title} — {answer}"),
        Lang::Zh => format!("步骤 {n}：{title} — {answer}"),
    }
}

/// The accessible name of an option, e.g. `DeepSeek API: ruled out: data must stay on-premises`
/// or `One local server: ¥41,000 a month, recommended, rule of thumb`.
fn leaf_label(leaf: &Leaf<'_>, d: &Decision, lang: Lang) -> String {
    let mut parts = vec![match leaf.excluded {
        Some(e) => e.describe(&d.inputs, lang),
        None => monthly(leaf, d, lang),
    }];
    parts.extend(leaf.warnings.iter().map(|w| w.describe(lang).to_string()));
    if leaf.recommended {
        parts.push(lang.pick("recommended", "推荐").into());
    }
    if leaf.rule {
        parts.push(lang.pick("rule of thumb", "经验法则").into());
    }
    let (name, parts) = (
        leaf.cost.kind.label(lang),
        parts.join(lang.pick(", ", "，")),
    );
    match lang {
        Lang::En => format!("{name}: {parts}"),
        Lang::Zh => format!("{name}：{parts}"),
    }
}

fn monthly(leaf: &Leaf<'_>, d: &Decision, lang: Lang) -> String {
    if !leaf.cost.feasible {
        return lang
            .pick("cannot serve this volume", "无法承载该请求量")
            .into();
    }
    let m = format_with_symbol(lang, d.inputs.currency, leaf.cost.monthly);
    match lang {
        Lang::En => format!("{m} a month"),
        Lang::Zh => format!("每月 {m}"),
    }
}

/// Draws the tree; returns the page to open when a node was clicked.
pub fn show(ui: &mut egui::Ui, app: &AdvisorApp, d: &Decision) -> Option<usize> {
    let width = ui.available_width();
    if width >= MIN_WIDTH {
        draw(ui, app, d, width)
    } else {
        egui::ScrollArea::horizontal()
            .id_salt("decision-tree")
            .show(ui, |ui| draw(ui, app, d, MIN_WIDTH))
            .inner
    }
}

fn draw(ui: &mut egui::Ui, app: &AdvisorApp, d: &Decision, width: f32) -> Option<usize> {
    let lang = app.lang;
    let pal = Palette::of(ui.visuals());
    let height = HEADER + 4.0 * LEAF_H + 3.0 * LEAF_GAP;
    let (rect, _) = ui.allocate_exact_size(Vec2::new(width, height), Sense::hover());
    let painter = ui.painter_at(rect.expand(2.0));
    let x0 = rect.left();
    let top = rect.top() + HEADER;
    let rule_w = width * 0.40;
    let leaf_x = x0 + width * 0.43;
    let leaf_w = width * 0.29;
    let chain_x = x0 + width * 0.76;
    let chain_w = rect.right() - chain_x;
    let mut open = None;

    let header = |x: f32, w: f32, s: &str| {
        text(&painter, Pos2::new(x, rect.top()), w, s, 11.5, pal.weak);
    };
    header(
        x0,
        rule_w,
        lang.pick("Rule of thumb (seeds)", "经验法则（种子文章）"),
    );
    header(
        leaf_x,
        leaf_w,
        &match lang {
            Lang::En => format!(
                "Options at {} requests/day",
                format_amount(lang, d.inputs.workload.requests_per_day)
            ),
            Lang::Zh => format!(
                "每天 {} 次请求时的方案",
                format_amount(lang, d.inputs.workload.requests_per_day)
            ),
        },
    );
    header(
        chain_x,
        chain_w,
        lang.pick("Your other answers", "其他回答"),
    );

    // Leaves: one row per option.
    let leaf_rect = |k: OptionKind| {
        let row = OptionKind::ALL.iter().position(|o| *o == k).unwrap_or(0) as f32;
        Rect::from_min_size(
            Pos2::new(leaf_x, top + row * (LEAF_H + LEAF_GAP)),
            Vec2::new(leaf_w, LEAF_H),
        )
    };

    // Questions of the rule tree: column by depth, row at the middle of the options they reach.
    let depth = question_depths();
    let columns = depth.iter().max().map_or(1, |m| m + 1) as f32;
    let col_w = (rule_w / (columns * 1.6 - 0.6)).min(200.0);
    let col_gap = if columns > 1.0 {
        (rule_w - columns * col_w) / (columns - 1.0)
    } else {
        0.0
    };
    let q_rect = |qi: usize| {
        let ys: Vec<f32> = reached_options(qi)
            .iter()
            .map(|k| leaf_rect(*k).center().y)
            .collect();
        let y = ys.iter().sum::<f32>() / ys.len().max(1) as f32;
        Rect::from_center_size(
            Pos2::new(x0 + depth[qi] as f32 * (col_w + col_gap) + col_w / 2.0, y),
            Vec2::new(col_w, NODE_H),
        )
    };

    // Rule edges first, lit ones last so they are drawn on top.
    let mut edges: Vec<(usize, usize)> = RULE_TREE
        .iter()
        .enumerate()
        .flat_map(|(qi, q)| (0..q.branches.len()).map(move |bi| (qi, bi)))
        .collect();
    edges.sort_by_key(|(qi, bi)| d.rule.passes(*qi, *bi));
    for (qi, bi) in edges {
        let b = &RULE_TREE[qi].branches[bi];
        let lit = d.rule.passes(qi, bi);
        let from = q_rect(qi).right_center();
        let to = match b.to {
            Target::Question(n) => q_rect(n).left_center(),
            Target::Option(k) => leaf_rect(k).left_center(),
        };
        let (stroke, color) = if lit {
            (Stroke::new(2.5, pal.rule), pal.rule)
        } else {
            (Stroke::new(1.0, pal.edge), pal.weak)
        };
        let pts = bezier(&painter, from, to - Vec2::new(2.0, 0.0), stroke);
        edge_label(
            &painter,
            point_on(&pts, 0.45),
            b.label(lang),
            color,
            pal.label_bg,
        );
    }

    // Question nodes of the rule tree.
    for (qi, q) in RULE_TREE.iter().enumerate() {
        if let Some(page) =
            question_node(ui, &painter, &pal, app, d, Step::asking(q.asks), q_rect(qi))
        {
            open = Some(page);
        }
    }

    // The other answers, stacked, then the computed edge to the recommendation.
    let chain: Vec<Step> = Step::ALL
        .into_iter()
        .filter(|s| !RULE_TREE.iter().any(|q| Step::asking(q.asks) == *s))
        .collect();
    let gap = 14.0;
    let n = chain.len() as f32;
    let node_h = NODE_H.min((4.0 * LEAF_H + 3.0 * LEAF_GAP - (n - 1.0) * gap) / n.max(1.0));
    let stack_h = n * node_h + (n - 1.0).max(0.0) * gap;
    let mut y = top + (4.0 * LEAF_H + 3.0 * LEAF_GAP - stack_h) / 2.0;
    let mut chain_rects = Vec::new();
    for _ in &chain {
        let r = Rect::from_min_size(Pos2::new(chain_x, y), Vec2::new(chain_w, node_h));
        chain_rects.push(r);
        y += node_h + gap;
    }
    let lit = Stroke::new(2.5, pal.computed);
    for pair in chain_rects.windows(2) {
        let (a, b) = (pair[0].center_bottom(), pair[1].center_top());
        painter.line_segment([a, b], lit);
        painter.line_segment([b, b + Vec2::new(-4.0, -6.0)], lit);
        painter.line_segment([b, b + Vec2::new(4.0, -6.0)], lit);
    }
    if let (Some(k), Some(first), Some(last)) =
        (d.plan.recommended, chain_rects.first(), chain_rects.last())
    {
        let from = Pos2::new(chain_x, (first.top() + last.bottom()) / 2.0);
        let to = leaf_rect(k).right_center() + Vec2::new(2.0, 0.0);
        // The leaf's "cheapest" badge names this edge.
        bezier(&painter, from, to, lit);
    }
    for (s, r) in chain.iter().zip(&chain_rects) {
        if let Some(page) = question_node(ui, &painter, &pal, app, d, *s, *r) {
            open = Some(page);
        }
    }

    for leaf in d.leaves() {
        if leaf_node(
            ui,
            &painter,
            &pal,
            d,
            lang,
            &leaf,
            leaf_rect(leaf.cost.kind),
        ) {
            open = Some(RESULT);
        }
    }
    open
}

/// Depth of each rule-tree question (the root is 0).
fn question_depths() -> Vec<usize> {
    let mut depth = vec![0; RULE_TREE.len()];
    // Parents come before children in `RULE_TREE`, so one pass in order settles every depth.
    for (qi, q) in RULE_TREE.iter().enumerate() {
        for b in q.branches {
            if let Target::Question(n) = b.to {
                depth[n] = depth[n].max(depth[qi] + 1);
            }
        }
    }
    depth
}

/// Options a question leads to, directly or through later questions.
fn reached_options(qi: usize) -> Vec<OptionKind> {
    let mut out = Vec::new();
    let mut stack = vec![qi];
    let mut seen = vec![false; RULE_TREE.len()];
    while let Some(q) = stack.pop() {
        if std::mem::replace(&mut seen[q], true) {
            continue;
        }
        for b in RULE_TREE[q].branches {
            match b.to {
                Target::Question(n) => stack.push(n),
                Target::Option(k) if !out.contains(&k) => out.push(k),
                Target::Option(_) => {}
            }
        }
    }
    out
}

fn question_node(
    ui: &mut egui::Ui,
    painter: &egui::Painter,
    pal: &Palette,
    app: &AdvisorApp,
    d: &Decision,
    step: Step,
    rect: Rect,
) -> Option<usize> {
    let lang = app.lang;
    let current = app.wizard_step.min(RESULT);
    let i = step.index();
    let id = ui.scope_id().with(("tree-step", i));
    let response = ui.interact(rect, id, Sense::CLICK);
    let label = node_label(step, d, lang);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    let (fill, title_color) = if i > current {
        (pal.dim_fill, pal.weak)
    } else {
        (pal.fill, pal.strong)
    };
    let stroke = if i == current {
        Stroke::new(2.0, pal.current)
    } else if response.hovered() {
        Stroke::new(1.5, pal.text)
    } else {
        Stroke::new(1.0, pal.stroke)
    };
    painter.rect(rect, 6.0, fill, stroke, egui::StrokeKind::Inside);
    // The step number in a circle.
    let c = rect.left_top() + Vec2::new(13.0, rect.height() / 2.0);
    painter.circle(
        c,
        8.5,
        if i <= current {
            pal.current
        } else {
            pal.dim_fill
        },
        Stroke::new(1.0, pal.stroke),
    );
    painter.text(
        c,
        egui::Align2::CENTER_CENTER,
        (i + 1).to_string(),
        FontId::proportional(11.0),
        if i <= current { pal.label_bg } else { pal.weak },
    );
    let x = rect.left() + 27.0;
    let w = rect.right() - x - 5.0;
    let small = rect.height() < 36.0;
    if small {
        text(
            painter,
            Pos2::new(x, rect.center().y - 7.0),
            w,
            &format!("{} · {}", step.title(lang), step.answer(&d.inputs, lang)),
            12.0,
            title_color,
        );
    } else {
        text(
            painter,
            Pos2::new(x, rect.top() + 4.0),
            w,
            step.title(lang),
            12.5,
            title_color,
        );
        text(
            painter,
            Pos2::new(x, rect.top() + 22.0),
            w,
            &step.answer(&d.inputs, lang),
            12.0,
            if i > current { pal.weak } else { pal.text },
        );
    }
    let response = response
        .on_hover_cursor(egui::CursorIcon::PointingHand)
        .on_hover_text(format!("{label}\n{}", step.why(lang)));
    response.clicked().then_some(i)
}

fn leaf_node(
    ui: &mut egui::Ui,
    painter: &egui::Painter,
    pal: &Palette,
    d: &Decision,
    lang: Lang,
    leaf: &Leaf<'_>,
    rect: Rect,
) -> bool {
    let id = ui
        .scope_id()
        .with(("tree-leaf", leaf.cost.kind.json_name()));
    let response = ui.interact(rect, id, Sense::CLICK);
    let label = leaf_label(leaf, d, lang);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    let out = leaf.excluded.is_some();
    if leaf.rule {
        painter.rect_stroke(
            rect.expand(3.0),
            8.0,
            Stroke::new(2.0, pal.rule),
            egui::StrokeKind::Inside,
        );
    }
    let stroke = if leaf.recommended {
        Stroke::new(2.5, pal.computed)
    } else if response.hovered() {
        Stroke::new(1.5, pal.text)
    } else {
        Stroke::new(1.0, pal.stroke)
    };
    painter.rect(
        rect,
        6.0,
        if out { pal.dim_fill } else { pal.fill },
        stroke,
        egui::StrokeKind::Inside,
    );
    let x = rect.left() + 8.0;
    let mut right = Pos2::new(rect.right() - 6.0, rect.top() + 5.0);
    if leaf.rule {
        right.x = badge(
            painter,
            right,
            lang.pick("rule of thumb", "经验法则"),
            pal.rule,
        ) - 4.0;
    }
    if leaf.recommended {
        right.x = badge(
            painter,
            right,
            lang.pick("cheapest", "最便宜"),
            pal.computed,
        ) - 4.0;
    }
    let (title, body) = if out {
        (pal.weak, pal.weak)
    } else {
        (pal.strong, pal.text)
    };
    text(
        painter,
        Pos2::new(x, rect.top() + 4.0),
        right.x - x,
        leaf.cost.kind.label(lang),
        13.0,
        title,
    );
    let w = rect.right() - x - 6.0;
    // Second line: the cost, or why there is none; third: why it is ruled out, what counts
    // against it, or what it takes.
    let (cost, note) = if leaf.cost.feasible {
        let total = format_with_symbol(lang, d.inputs.currency, leaf.cost.horizon);
        let years = format_amount(lang, d.inputs.workload.horizon_years);
        let cost = match lang {
            Lang::En => format!("{} · {total} over {years} yr", monthly(leaf, d, lang)),
            Lang::Zh => format!("{} · {years} 年共 {total}", monthly(leaf, d, lang)),
        };
        (cost, leaf.excluded.map(|e| e.describe(&d.inputs, lang)))
    } else {
        let why = leaf
            .excluded
            .map_or_else(|| monthly(leaf, d, lang), |e| e.describe(&d.inputs, lang));
        (why, Some(String::new()))
    };
    text(
        painter,
        Pos2::new(x, rect.top() + 20.0),
        w,
        &cost,
        12.0,
        body,
    );
    let (note, color) = match note {
        Some(n) => (n, pal.weak),
        None if !leaf.warnings.is_empty() => (
            leaf.warnings
                .iter()
                .map(|w| w.describe(lang))
                .collect::<Vec<_>>()
                .join(" · "),
            pal.warn,
        ),
        None => (servers(leaf, lang), pal.weak),
    };
    text(
        painter,
        Pos2::new(x, rect.top() + 36.0),
        w,
        &note,
        11.5,
        color,
    );
    let response = response
        .on_hover_cursor(egui::CursorIcon::PointingHand)
        .on_hover_text(label);
    response.clicked()
}

/// `2 servers · 16 GPUs`, or how the API is paid.
fn servers(leaf: &Leaf<'_>, lang: Lang) -> String {
    let c = leaf.cost;
    if c.kind == OptionKind::Api {
        return lang.pick("paid per token", "按 token 付费").into();
    }
    match lang {
        Lang::En => format!(
            "{} server{} · {} GPUs",
            c.servers,
            if c.servers == 1 { "" } else { "s" },
            c.gpus
        ),
        Lang::Zh => format!("{} 台服务器 · {} 张 GPU", c.servers, c.gpus),
    }
}

/// The legend and, when they differ, the rule's answer beside the computed one.
pub fn legend(ui: &mut egui::Ui, d: &Decision, lang: Lang) {
    let pal = Palette::of(ui.visuals());
    let swatch = |ui: &mut egui::Ui, color: Color32| {
        let (r, _) = ui.allocate_exact_size(Vec2::new(22.0, 12.0), Sense::hover());
        ui.painter()
            .line_segment([r.left_center(), r.right_center()], Stroke::new(2.5, color));
    };
    ui.horizontal_wrapped(|ui| {
        swatch(ui, pal.rule);
        ui.label(lang.pick("rule of thumb", "经验法则"));
        swatch(ui, pal.computed);
        ui.label(lang.pick("computed from your answers", "按你的回答计算"));
        let rule = noun(d.rule.option, lang).0;
        let text = match (d.plan.recommended, lang) {
            (Some(k), Lang::En) if d.disagrees() => format!(
                "The rule of thumb says {rule}; the computed costs say {}.",
                noun(k, lang).0
            ),
            (Some(k), Lang::Zh) if d.disagrees() => {
                format!("经验法则建议{rule}；按成本计算应选{}。", noun(k, lang).0)
            }
            (Some(_), Lang::En) => {
                format!("The rule of thumb and the computed costs agree: {rule}.")
            }
            (Some(_), Lang::Zh) => format!("经验法则与成本计算一致：{rule}。"),
            (None, Lang::En) => {
                format!("The rule of thumb says {rule}; no option satisfies the constraints.")
            }
            (None, Lang::Zh) => format!("经验法则建议{rule}；但没有满足条件的方案。"),
        };
        ui.strong(text);
    });
}
