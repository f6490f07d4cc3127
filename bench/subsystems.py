"""The subsystem a managed frame belongs to, by its assembly and, where the profiler gives no assembly,
by its namespace. One classification for perf-top.py and speedscope-top.py, so their summaries use the
same labels."""

BCL = "BCL (CoreLib, collections, text, threading)"

# (label, assembly prefixes, namespace prefixes); the first match wins, so narrower rules come first.
RULES = [
    ("SQLite (SQLitePCLRaw)", ("SQLitePCLRaw",), ("SQLitePCL.",)),
    ("Microsoft.Data.Sqlite / ADO.NET", ("Microsoft.Data.Sqlite", "System.Data.Common"), ("Microsoft.Data.Sqlite.",)),
    ("IdentityDirectory (ours)", ("IdentityDirectory",), ("IdentityDirectory.",)),
    ("Orleans", ("Orleans",), ("Orleans.",)),
    ("System.Text.Json", ("System.Text.Json",), ("System.Text.Json.",)),
    ("Logging (Microsoft.Extensions.Logging)", ("Microsoft.Extensions.Logging",), ("Microsoft.Extensions.Logging.",)),
    ("ASP.NET Core / Kestrel", ("Microsoft.AspNetCore",), ("Microsoft.AspNetCore.",)),
    ("Sockets / pipelines", ("System.Net.Sockets", "System.IO.Pipelines", "System.Net.Primitives"), ()),
    ("Microsoft.Extensions (DI, options, ...)", ("Microsoft.Extensions",), ("Microsoft.Extensions.",)),
    ("Polly", ("Polly",), ()),
    (BCL, ("System.", "mscorlib", "netstandard"), ()),
]


def subsystem(assembly, name=""):
    for label, assemblies, namespaces in RULES:
        if assembly.startswith(assemblies) or (namespaces and name.startswith(namespaces)):
            return label
    return f"other: {assembly or name}"
