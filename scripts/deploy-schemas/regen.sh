#!/bin/sh
# Regenerates the pinned schemas the deployment tests validate exported files against
# (tests/schemas/): Kubernetes 1.33 objects from the Kubernetes Python client 33.1.0 (generated
# from the 1.33 OpenAPI), the LeaderWorkerSet CRD of kubernetes-sigs/lws v0.10.0, and the
# Compose Specification's JSON Schema (compose-spec/compose-spec 170098b).
# Needs python3, pip, git, unzip and network access to PyPI and GitHub. Bump a pin, run this,
# review the diff, then `cargo test --test deploy_matrix`.
set -eu

K8S_CLIENT=33.1.0
LWS=v0.10.0
COMPOSE_SPEC=170098b

HERE=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
OUT="$HERE/../../tests/schemas"
WORK=${WORK:-$(mktemp -d)}

python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q pyyaml
"$WORK/venv/bin/pip" download -q --no-deps "kubernetes==$K8S_CLIENT" -d "$WORK/dl"
mkdir -p "$WORK/k8s"
unzip -q -o "$WORK/dl"/kubernetes-*.whl 'kubernetes/client/models/*' -d "$WORK/k8s"
git clone -q https://github.com/kubernetes-sigs/lws "$WORK/lws"
git -C "$WORK/lws" checkout -q "$LWS"
git clone -q https://github.com/compose-spec/compose-spec "$WORK/compose"
git -C "$WORK/compose" show "$COMPOSE_SPEC:schema/compose-spec.json" > "$OUT/compose-spec.json"
"$WORK/venv/bin/python" "$HERE/k8s_lws.py" "$WORK/k8s" \
    "$WORK/lws/config/crd/bases/leaderworkerset.x-k8s.io_leaderworkersets.yaml" "$OUT"
echo "wrote tests/schemas/k8s-1.33.json, lws-v1.json, compose-spec.json"
