#!/usr/bin/env python3
"""Writes the command-line schema of one inference engine as JSON, read from the engine's own
package or source: its flags, what values they take, and the model architectures it loads.

    python3 extract.py ENGINE VERSION SOURCE_DIR > assets/engines/ENGINE-VERSION.json

SOURCE_DIR is the unpacked wheel (vllm, sglang, ktransformers = sglang-kt, sglang-router,
mlx-lm), the unpacked llama.cpp source (llama.cpp), or a git checkout (ds4, ollama,
tensorrt-llm). `regen.sh` downloads and unpacks them. Python parsers are built by the engine's
own code (argparse or click) with missing heavy dependencies stubbed (`stubs.py`); C/C++/Go
sources are read with the patterns noted per engine. Needs only the standard library, plus
pydantic, msgspec, numpy, regex and click for the Python engines.

Schema (one object):
  engine, version, source       what was read
  program                       the words that start the engine
  positionals                   [{name, nargs}]
  options                       [{flags: [...], value, nargs, choices, deprecated}]
      value: "none" (a switch), "int", "float", "str", "json", "human_int"
             (an integer, optionally with a k/K/m/M/g/G suffix), "human_int_or_auto", "bool_word"
             (on/off, true/false, 1/0, enabled/disabled)
      nargs: null (one value), "?", "+", "*" or a number
      choices: the only values accepted, or null
  env                           [{name, value}] environment variables the engine reads
  architectures                 model architectures it loads (Hugging Face class names for
                                vLLM/SGLang/TensorRT-LLM, model_type module names for mlx-lm,
                                GGUF general.architecture names for llama.cpp and ds4)
  extra                         engine-specific facts (download targets, ...)
"""

import argparse
import ast
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

# Packages the Python engines import that the parser does not need.
STUBBED = [
    "torch", "torchvision", "torchaudio", "torchcodec", "torchada", "torchao", "triton",
    "transformers", "tokenizers", "huggingface_hub", "safetensors", "PIL", "cv2", "av",
    "soundfile", "soxr", "scipy", "psutil", "zmq", "aiohttp", "fastapi", "starlette",
    "uvicorn", "uvloop", "requests", "urllib3", "openai", "openai_harmony", "orjson",
    "pybase64", "cbor2", "cloudpickle", "cpuinfo", "cachetools", "xxhash", "prometheus_client",
    "opentelemetry", "partial_json_parser", "llguidance", "xgrammar", "outlines",
    "compressed_tensors", "flash_attn", "flashinfer", "sgl_kernel", "deep_ep", "deep_gemm",
    "mooncake", "IPython", "amdsmi", "libtpu", "tpu_inference", "runai_model_streamer", "org",
    "setproctitle", "sglang_router.sglang_router_rs", "mlx", "mlx_lm_rs", "sentencepiece", "tiktoken",
    "jinja2", "yaml", "tqdm", "pandas", "datasets", "numba", "einops", "pynvml", "cuda",
    "nvidia", "strenum", "mpi4py", "tensorrt", "tensorrt_llm_bindings", "grpc",
    "blobfile", "hf_transfer", "jsonschema", "pydantic_settings", "sentencepiece", "modelscope", "gguf", "decord", "interegular", "msgpack",
]


def value_of_type(fn):
    """The schema value kind of an argparse `type=` callable (None: a plain string)."""
    if fn is None or fn is str:
        return "str"
    if fn is int:
        return "int"
    if fn is float:
        return "float"
    name = getattr(fn, "__name__", "")
    if name == "human_readable_int_or_auto":
        return "human_int_or_auto"
    if name == "human_readable_int":
        return "human_int"
    if name in ("loads", "parse_dataclass", "json_list_type", "json_dict_type"):
        return "json"
    if name == "union_dict_and_str":
        return "str"
    # Wrappers (vLLM's optional_type) keep the callable they wrap in a closure cell.
    for cell in getattr(fn, "__closure__", None) or ():
        inner = cell.cell_contents
        if callable(inner) and inner is not fn:
            return value_of_type(inner)
    if name in ("str2bool", "strtobool", "bool"):
        return "bool_word"
    return "str"


def argparse_options(parser):
    """Options and positionals of an argparse parser, as the schema lists them."""
    options, positionals = [], []
    for a in parser._actions:
        kind = type(a).__name__
        if kind in ("_HelpAction", "_VersionAction"):
            continue
        choices = None
        if a.choices is not None:
            choices = sorted({str(c) for c in a.choices if c is not None})
        if a.nargs == 0 or kind in (
            "_StoreTrueAction", "_StoreFalseAction", "_StoreConstAction", "_CountAction",
            "BooleanOptionalAction", "_AppendConstAction",
        ):
            value, nargs = "none", None
        else:
            value = value_of_type(a.type)
            nargs = a.nargs
        if not (nargs is None or isinstance(nargs, (int, str))):
            raise SystemExit(f"{a.option_strings}: nargs {nargs!r} is not a literal")
        deprecated = "Deprecated" in kind or bool(getattr(a, "deprecated", False))
        if not a.option_strings:
            positionals.append({"name": a.dest, "nargs": nargs})
            continue
        options.append({
            "flags": list(a.option_strings),
            "value": value,
            "nargs": nargs,
            "choices": choices,
            "deprecated": deprecated,
        })
    options.sort(key=lambda o: o["flags"][0])
    return options, positionals


def dict_keys_in(path, names=None):
    """String keys of the dict literals assigned at module level in a Python file."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    out = set()
    for node in tree.body:
        value = None
        if isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            value = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets = [node.target.id]
            value = node.value
        else:
            continue
        if names is not None and not set(targets) & set(names):
            continue
        if isinstance(value, ast.Dict):
            for k in value.keys:
                if isinstance(k, ast.Constant) and isinstance(k.value, str):
                    out.add(k.value)
    return out


def entry_classes(models_dir):
    """Class names an SGLang models folder registers through `EntryClass`."""
    out = set()
    for name in sorted(os.listdir(models_dir)):
        if not name.endswith(".py"):
            continue
        tree = ast.parse(open(os.path.join(models_dir, name), encoding="utf-8-sig").read())
        for node in tree.body:
            if not (isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "EntryClass" for t in node.targets)):
                continue
            values = node.value.elts if isinstance(node.value, (ast.List, ast.Tuple)) else [node.value]
            for v in values:
                if isinstance(v, ast.Name):
                    out.add(v.id)
    return out


def sglang_aliases(configs_dir, known):
    """Architectures SGLang's config normalisers rename to one it registers
    (`if values.get("architectures") == ["A"]: values["architectures"] = ["B"]`)."""
    out = set()
    for name in sorted(os.listdir(configs_dir)):
        if name.endswith(".py"):
            text = open(os.path.join(configs_dir, name), encoding="utf-8-sig").read()
            for a, b in re.findall(r'\.get\("architectures"\) == \["(\w+)"\]:\s*\n\s*\w+\["architectures"\] = \["(\w+)"\]', text):
                if b in known:
                    out.add(a)
    return out


def with_stubs(source_dir, real):
    import stubs

    sys.path.insert(0, source_dir)
    return stubs.install([n for n in STUBBED if n not in real])


def vllm(version, src):
    with_stubs(src, ["vllm"])
    sys.argv = ["vllm", "serve"]
    import contextlib

    import vllm.engine.arg_utils as au

    @contextlib.contextmanager
    def keep_going():
        # Config defaults are computed by constructing config objects, which may touch a stub;
        # the default value is not part of the schema.
        try:
            yield
        except Exception:
            pass

    au.suppress_logging = keep_going
    from vllm.entrypoints.common.cli_args import make_arg_parser
    from vllm.utils.argparse_utils import FlexibleArgumentParser

    options, positionals = argparse_options(make_arg_parser(FlexibleArgumentParser()))
    archs = dict_keys_in(os.path.join(src, "vllm/model_executor/models/registry.py"))
    return {
        "program": ["vllm", "serve"],
        "source": f"PyPI wheel vllm=={version}: vllm.entrypoints.common.cli_args.make_arg_parser; vllm/model_executor/models/registry.py",
        "options": options,
        "positionals": positionals,
        "architectures": sorted(a for a in archs if a[0].isupper()),
    }


def sglang_like(version, src, package):
    os.environ.setdefault("SGLANG_USE_CPU_ENGINE", "1")
    with_stubs(src, ["sglang"])
    from sglang.srt.server_args import ServerArgs

    parser = argparse.ArgumentParser()
    ServerArgs.add_cli_args(parser)
    options, positionals = argparse_options(parser)
    archs = entry_classes(os.path.join(src, "sglang/srt/models"))
    return {
        "program": ["python3", "-m", "sglang.launch_server"],
        "source": f"PyPI wheel {package}=={version}: sglang.srt.server_args.ServerArgs.add_cli_args; sglang/srt/models/*.py EntryClass and the architectures sglang/srt/configs renames to one",
        "options": options,
        "positionals": positionals,
        "architectures": sorted(archs | sglang_aliases(os.path.join(src, "sglang/srt/configs"), archs)),
    }


def sglang_router(version, src):
    with_stubs(src, ["sglang_router"])
    from sglang_router.router_args import RouterArgs

    parser = argparse.ArgumentParser()
    RouterArgs.add_cli_args(parser, use_router_prefix=False)
    options, positionals = argparse_options(parser)
    return {
        "program": ["python3", "-m", "sglang_router.launch_router"],
        "source": f"PyPI wheel sglang-router=={version}: sglang_router.router_args.RouterArgs.add_cli_args",
        "options": options,
        "positionals": positionals,
        "architectures": [],
    }


def mlx_lm(version, src):
    """mlx_lm.server builds its parser inside main(): run main() up to parse_args."""
    with_stubs(src, ["mlx_lm"])
    import mlx_lm.server as server

    captured = {}

    class Captured(Exception):
        pass

    def capture(self, *a, **k):
        captured["parser"] = self
        raise Captured()

    argparse.ArgumentParser.parse_args = capture
    try:
        server.main()
    except Captured:
        pass
    options, positionals = argparse_options(captured["parser"])
    models = os.path.join(src, "mlx_lm/models")
    archs = sorted(n[:-3] for n in os.listdir(models)
                   if n.endswith(".py") and not n.startswith("_") and n not in ("base.py", "cache.py", "switch_layers.py", "rope_utils.py", "activations.py", "pipeline.py", "ssm.py", "bitlinear_layers.py", "gated_delta.py"))
    return {
        "program": ["mlx_lm.server"],
        "source": f"PyPI wheel mlx-lm=={version}: mlx_lm.server.main's parser; mlx_lm/models/<model_type>.py",
        "options": options,
        "positionals": positionals,
        "architectures": archs,
    }


def balanced(text, start):
    """Index after the parenthesis that closes the one at `start`, skipping strings."""
    depth, i, n = 0, start, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == "'":
            i += 1
            while text[i] != "'":
                i += 2 if text[i] == "\\" else 1
        elif c == "/" and text[i + 1] == "/":
            i = text.index("\n", i)
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced")


def llama_cpp(version, src):
    """common/arg.cpp: each `add_opt(common_arg({flags}, ..., handler).set_examples({...}))`;
    the handler's parameters say what the flag takes, its body what values it accepts."""
    text = open(os.path.join(src, "common/arg.cpp"), encoding="utf-8").read()
    kv_types = re.search(r"kv_cache_types\s*=\s*\{([^}]*)\}", text)
    kv_names = sorted(t.lower() for t in re.findall(r"GGML_TYPE_(\w+)", kv_types.group(1))) if kv_types else None
    spec_src = open(os.path.join(src, "common/speculative.cpp"), encoding="utf-8").read()
    spec_names = sorted(set(re.findall(r'\{\s*"([a-z0-9_-]+)"\s*,\s*COMMON_SPECULATIVE_TYPE_\w+\s*\}', spec_src)))
    options = {}
    for m in re.finditer(r"add_opt\(common_arg\(", text):
        end = balanced(text, m.start() + len("add_opt"))
        call = text[m.start():end]
        inner_end = balanced(call, len("add_opt(common_arg"))
        args_part = call[len("add_opt(common_arg("):inner_end - 1]
        chain = call[inner_end:]
        lists = re.findall(r"\{\s*(\"[^}]*)\}", args_part.split("[]")[0])
        if not lists:
            continue
        flags = re.findall(r'"([^"]+)"', lists[0])
        negs = re.findall(r'"([^"]+)"', lists[1]) if len(lists) > 1 and "[]" in args_part else []
        examples = re.search(r"set_examples\(\{([^}]*)\}\)", chain)
        excludes = re.search(r"set_excludes\(\{([^}]*)\}\)", chain)
        ex = set(re.findall(r"LLAMA_EXAMPLE_\w+", examples.group(1))) if examples else {"LLAMA_EXAMPLE_COMMON"}
        exc = set(re.findall(r"LLAMA_EXAMPLE_\w+", excludes.group(1))) if excludes else set()
        if not ex & {"LLAMA_EXAMPLE_COMMON", "LLAMA_EXAMPLE_SERVER"} or "LLAMA_EXAMPLE_SERVER" in exc:
            continue
        lam = re.search(r"\[\]\s*\(\s*common_params\s*&\s*\w*\s*(,[^)]*)?\)", args_part)
        params = (lam.group(1) or "") if lam else ""
        body = args_part[lam.end():] if lam else ""
        choices, nargs = None, None
        if "bool" in params:
            value = "none"
            flags = flags + negs
        elif not params.strip():
            value = "none"
        elif "int" in params and "std::string" not in params:
            value = "int"
        elif params.count("std::string") == 2:
            value, nargs = "str", 2
        else:
            value = "str"
            if "is_truthy(value)" in body:
                value = "bool_word"
            elif "kv_cache_type_from_str" in body and kv_names:
                choices = kv_names
            elif "common_speculative_types_from_names" in body:
                value, choices = "csv", spec_names
            elif re.search(r"std::stoi\(value\)", body):
                value = "int"
                words = re.findall(r'value == "([a-z]+)"', body)
                if words:
                    value, choices = "int_or_word", sorted(set(words))
            elif re.search(r"std::sto[fd]\(value\)", body):
                value = "float"
        key = tuple(flags)
        options[key] = {"flags": flags, "value": value, "nargs": nargs, "choices": choices, "deprecated": False}
    arch_src = open(os.path.join(src, "src/llama-arch.cpp"), encoding="utf-8").read()
    names = re.search(r"LLM_ARCH_NAMES\s*=\s*\{(.*?)\n\};", arch_src, re.S)
    archs = sorted(set(re.findall(r'\{\s*LLM_ARCH_\w+\s*,\s*"([^"]+)"\s*\}', names.group(1))))
    return {
        "program": ["llama-server"],
        "source": f"llama.cpp {version} (as vendored by PyPI sdist llama-cpp-python): common/arg.cpp options for LLAMA_EXAMPLE_COMMON/SERVER; src/llama-arch.cpp LLM_ARCH_NAMES",
        "options": sorted(options.values(), key=lambda o: o["flags"][0]),
        "positionals": [],
        "architectures": [a for a in archs if a != "(unknown)"],
    }


def ds4(version, src):
    """ds4_server.c parse_options: `!strcmp(arg, "--x")` branches; a branch that calls
    need_arg takes a value (parse_int_arg: an integer, parse_float_arg: a number)."""
    text = open(os.path.join(src, "ds4_server.c"), encoding="utf-8").read()
    start = text.index("static server_config parse_options(")
    body = text[start:text.index("\n}\n", start)]
    options = []
    for m in re.finditer(r"if \(((?:!strcmp\(arg, \"[^\"]+\"\)(?: \|\| )?)+)\) \{(.*?)\n        \}", body, re.S):
        flags = re.findall(r'"([^"]+)"', m.group(1))
        branch = m.group(2)
        if "-h" in flags:
            continue
        if "need_arg" not in branch:
            value = "none"
        elif "parse_int_arg" in branch or "parse_nonneg_int_arg" in branch:
            value = "int"
        elif "parse_float_arg" in branch:
            value = "float"
        elif "parse_backend_arg" in branch:
            value = "str"
        else:
            value = "str"
        options.append({"flags": flags, "value": value, "nargs": None, "choices": None, "deprecated": False})
    dl = open(os.path.join(src, "download_model.sh"), encoding="utf-8").read()
    case = dl[dl.index('case "$MODEL" in'):]
    targets = [t for t in re.findall(r"^\s+([a-z0-9-]+)\)", case, re.M) if not t.startswith("-")]
    return {
        "program": ["./ds4-server"],
        "source": f"antirez/ds4 {version}: ds4_server.c parse_options; download_model.sh targets",
        "options": sorted(options, key=lambda o: o["flags"][0]),
        "positionals": [],
        "architectures": ["deepseek4"],
        "extra": {"download_targets": targets},
    }


def ollama(version, src):
    """envconfig/config.go: each OLLAMA_* variable and the helper that reads it."""
    text = open(os.path.join(src, "envconfig/config.go"), encoding="utf-8").read()
    kinds = {"Bool": "bool_word", "BoolWithDefault": "bool_word", "Uint": "int", "Uint64": "int", "String": "str"}
    env = {}
    for helper, name in re.findall(r"\b(Bool|BoolWithDefault|Uint|Uint64|String)\(\"(OLLAMA_\w+)\"", text):
        env[name] = kinds[helper]
    for name in re.findall(r'Var\("(OLLAMA_\w+)"\)', text):
        env.setdefault(name, "str")
    env["OLLAMA_HOST"] = "host_port"
    return {
        "program": ["ollama", "serve"],
        "source": f"ollama/ollama {version}: envconfig/config.go",
        "options": [],
        "positionals": [],
        "env": [{"name": k, "value": v} for k, v in sorted(env.items())],
        "architectures": [],
        "extra": {"subcommands": ["serve", "pull", "run", "list"]},
    }


def tensorrt_llm(version, src):
    """trtllm-serve is a click command (tensorrt_llm/commands/serve.py)."""
    import importlib.util

    import click

    with_stubs(src, [])
    spec = importlib.util.spec_from_file_location("trtllm_serve", os.path.join(src, "tensorrt_llm/commands/serve.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    options, positionals = [], []
    for p in mod.serve.params:
        if isinstance(p, click.Argument):
            positionals.append({"name": p.name, "nargs": None})
            continue
        if p.is_flag:
            value, choices = "none", None
        else:
            t = p.type
            choices = sorted(map(str, t.choices)) if isinstance(t, click.Choice) and list(t.choices) else None
            value = {"INT": "int", "FLOAT": "float"}.get(t.name.upper(), "str")
        options.append({"flags": list(p.opts) + list(p.secondary_opts), "value": value,
                        "nargs": None, "choices": choices, "deprecated": False})
    return {
        "program": ["trtllm-serve"],
        "source": f"NVIDIA/TensorRT-LLM {version}: tensorrt_llm/commands/serve.py (click command `serve`)",
        "options": sorted(options, key=lambda o: o["flags"][0]),
        "positionals": positionals,
        "architectures": [],
    }


def kt_methods(kt_kernel_dir):
    """The --kt-method values kt-kernel's inference wrapper dispatches on (kt_kernel/experts.py:
    `method in [...]` / `method == "..."` branches that pick a backend class)."""
    text = open(os.path.join(kt_kernel_dir, "kt_kernel/experts.py"), encoding="utf-8").read()
    start = text.index("# Select backend based on method")
    block = text[start:text.index("raise NotImplementedError", start)]
    return sorted(set(re.findall(r'"([A-Z0-9_]+)"', block)))


def ktransformers(version, src):
    out = sglang_like(version, src, "sglang-kt")
    kt = os.environ.get("KT_KERNEL_SRC")
    if kt:
        for o in out["options"]:
            if "--kt-method" in o["flags"]:
                o["choices"] = kt_methods(kt)
        out["source"] += f"; --kt-method values from kt_kernel/experts.py of kt-kernel=={version}"
    return out


ENGINES = {
    "vllm": vllm,
    "sglang": lambda v, s: sglang_like(v, s, "sglang"),
    "ktransformers": ktransformers,
    "sglang-router": sglang_router,
    "mlx-lm": mlx_lm,
    "llama.cpp": llama_cpp,
    "ds4": ds4,
    "ollama": ollama,
    "tensorrt-llm": tensorrt_llm,
}


def main():
    engine, version, src = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    out = {"engine": engine, "version": version}
    out.update(ENGINES[engine](version, src))
    out.setdefault("env", [])
    out.setdefault("extra", {})
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
