"""Import an engine's argument parser without its heavy dependencies.

Engines such as vLLM and SGLang define their command line in modules that also import torch,
CUDA extensions and many other packages. Building the parser needs none of them. `install()`
puts a finder first on `sys.meta_path` that answers every top-level package that is not
installed with a stub module: any attribute is a stub, stubs are callable, subscriptable,
usable as base classes and in `X | None` annotations. The engine's own parser code then runs
for real and its `argparse` actions can be read.
"""

import abc
import importlib.abc
import importlib.machinery
import sys
import types


# Special names Python, typing and pydantic probe to decide what an object is: a stub must not
# claim them.
_PROTOCOL = {
    "__origin__", "__args__", "__parameters__", "__wrapped__", "__signature__", "__set_name__",
    "__get__", "__set__", "__delete__", "__fspath__", "__iter__", "__next__", "__await__",
    "__aiter__", "__dataclass_fields__", "__pydantic_fields__", "__pydantic_generic_metadata__",
    "__supertype__", "__typing_is_unpacked_typevar__", "__typing_subst__", "__origin__",
    "__func__", "__self__", "__code__", "__defaults__", "__kwdefaults__", "__annotations__",
    "__isabstractmethod__", "__length_hint__", "__array__", "__array_interface__",
    "__class_getitem__", "__init_subclass__", "__subclasshook__", "__instancecheck__",
    "__subclasscheck__", "__mro_entries__", "__get_pydantic_json_schema__", "__copy__",
    "__deepcopy__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__",
    "__path__", "__file__", "__modify_schema__", "__get_validators__", "__spec__", "__loader__", "__all__", "__version__",
}


class _Inert:
    """What a stub answers to operators and conversions, as a class (through the metaclass) and
    as an instance: empty, false, zero, equal to anything, and arithmetic that keeps the other
    operand."""

    def __setitem__(self, key, value):
        pass

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __bool__(self):
        return False

    def __int__(self):
        return 0

    def __index__(self):
        return 0

    def __float__(self):
        return 0.0

    def __lt__(self, other):
        return False

    __le__ = __gt__ = __ge__ = __lt__

    def __eq__(self, other):
        return True

    def __hash__(self):
        return id(self)

    def __add__(self, other):
        return other

    __radd__ = __mul__ = __rmul__ = __sub__ = __rsub__ = __truediv__ = __rtruediv__ = __add__
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = __rpow__ = __add__
    __and__ = __rand__ = __add__

    def __neg__(self):
        return 0

    def __contains__(self, item):
        return False

    def __str__(self):
        return "stub"


class _StubMeta(_Inert, abc.ABCMeta):
    def register(cls, *args, **kwargs):
        # Registries of a stubbed library (`AutoTokenizer.register(...)`), not ABC.register.
        return args[0] if args else None

    def __getattr__(cls, name):
        if name in _PROTOCOL:
            raise AttributeError(name)
        return _stub_class(f"{cls.__qualname__}.{name}")

    def __call__(cls, *args, **kwargs):
        # A decorator applied to a function keeps it.
        if len(args) == 1 and not kwargs and isinstance(args[0], types.FunctionType):
            return args[0]
        return super().__call__()

    def __getitem__(cls, item):
        return cls

    def __or__(cls, other):
        return cls

    def __ror__(cls, other):
        return cls

    def __mro_entries__(cls, bases):
        return (object,)


class _StubBase(_Inert, metaclass=_StubMeta):
    def __init_subclass__(cls, **kwargs):
        # `class K(StubbedTypedDict, total=False)`
        super().__init_subclass__()

    @classmethod
    def __get_pydantic_core_schema__(cls, source, handler):
        from pydantic_core import core_schema

        return core_schema.any_schema()

    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _stub_class(name)()

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and not kwargs and callable(args[0]):
            return args[0]
        return _StubBase()

    def __getitem__(self, item):
        return _StubBase()

    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def _stub_class(name):
    return _StubMeta(name, (_StubBase,), {"__module__": "stub"})


# Attributes a stub module does not have, so that probes for other accelerators fail
# (`hasattr(torch, "npu")`).
ABSENT = {"torch.npu", "torch.xpu", "torch.hpu", "torch.musa", "torch.mlu", "torch.mps"}


class _StubModule(types.ModuleType):
    def __init__(self, name):
        super().__init__(name)
        self.__path__ = []
        self.__file__ = f"<stub {name}>"
        self.__version__ = "2.10.0"

    def __getattr__(self, name):
        if name in _PROTOCOL or f"{self.__name__}.{name}" in ABSENT:
            raise AttributeError(name)
        value = _stub_class(f"{self.__name__}.{name}")
        setattr(self, name, value)
        return value


class _Loader(importlib.abc.Loader):
    def create_module(self, spec):
        return _StubModule(spec.name)

    def exec_module(self, module):
        pass


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, names):
        self.names = set(names)
        self.stubbed = set()
        self.missing = set()

    def find_spec(self, fullname, path, target=None):
        top = fullname.split(".")[0]
        if fullname in self.names:
            self.stubbed.add(fullname)
            return importlib.machinery.ModuleSpec(fullname, _Loader(), is_package=True)
        if top in sys.stdlib_module_names:
            return None
        if importlib.machinery.PathFinder.find_spec(top) is not None:
            return None
        if top in self.names:
            self.stubbed.add(top)
            return importlib.machinery.ModuleSpec(fullname, _Loader(), is_package=True)
        self.missing.add(top)
        return None


def install(names):
    """Stubs the packages in `names` that are not installed; others import as usual (a hardware
    probe such as `find_spec("torch_npu")` still finds nothing)."""
    finder = _Finder(names)
    sys.meta_path.insert(0, finder)
    return finder
