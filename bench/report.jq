# docs/benchmarks.md (all but its two hand-written sections at the end) from the raw results of one
# run, as Markdown. Called by bench/render_report.sh with:
#   $rows    {"<row id>": <bench/results/<row id>.json>, ...}
#   $env     bench/results/environment.json
#   $run     bench/results/run.json
#   $micro   bench/results/micro.json (Google Benchmark's JSON), or null
# Every number printed comes from those files; the only constants here are
# the targets, which are stated next to each verdict.

# --- formatting ---------------------------------------------------------
def commas:
  round as $n
  | if $n < 0 then "-" + ((-$n) | commas)
    elif $n < 1000 then ($n | tostring)
    else (($n / 1000 | floor) | commas) + "," + ("00" + ($n % 1000 | tostring))[-3:]
    end;
def ms:
  if . == null then "—"
  elif . < 1 then (. * 1000 | round | tostring) + " µs"
  elif . < 10 then ((. * 100 | round) / 100 | tostring) + " ms"
  elif . < 100 then ((. * 10 | round) / 10 | tostring) + " ms"
  elif . < 1000 then (round | tostring) + " ms"
  else ((. / 10 | round) / 100 | tostring) + " s"
  end;
def mib: if . == null then "—" else ((. / 1024 * 10 | round) / 10 | tostring) + " MiB" end;
def seconds: if . < 1 then (. * 1000 | ms) else ((. * 10 | round) / 10 | tostring) + " s" end;
def pct: (. * 100 | round | tostring) + "%";
def ratio: ((. * 10 | round) / 10 | tostring) + "×";
def ns:
  if . < 1000 then (. | round | tostring) + " ns"
  elif . < 1000000 then ((. / 100 | round) / 10 | tostring) + " µs"
  else ((. / 100000 | round) / 10 | tostring) + " ms"
  end;
def to_ns: . as $b | $b.cpu_time * ({"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[$b.time_unit]);

# --- verdicts: each takes a row and says met or missed, and why ---------
def missed($why): "**missed**" + (if $why == "" then "" else " (" + $why + ")" end);
def no_errors:
  if .load.errors == 0 then "met" else missed("\(.load.errors | commas) errors") end;
def at_least($n):
  (.load.ok_per_s // .load.requests_per_s) as $got
  | if .load.errors > 0 then missed("\(.load.errors | commas) errors")
    elif $got >= $n then "met"
    else missed("\($got / $n | pct) of it")
    end;
# A large-database row against its base twin: requests/s within 20%, no
# errors.
def within_20_percent_of($base):
  ($rows[$base].load.requests_per_s) as $b
  | if $b == null then "— (no base row)"
    else (.load.requests_per_s / $b) as $r
    | if .load.errors > 0 then missed("\(.load.errors | commas) errors")
      elif $r >= 0.8 then "met (\($r | pct) of base)"
      else missed("\($r | pct) of base")
      end
    end;
# A latency bound: p99 under `$ms`, no errors.
def p99_under($ms):
  if .load.errors > 0 then missed("\(.load.errors | commas) errors")
  elif .load.p99_ms < $ms then "met"
  else missed("p99 \(.load.p99_ms | ms)")
  end;
# The verify-path target: at least 60% of the nginx ceiling's requests/s
# in the same run, p99 under 2 ms, no errors.
def near_the_ceiling:
  ($rows["ceiling"].load.requests_per_s) as $c
  | if $c == null then "— (no ceiling row)"
    else (.load.requests_per_s / $c) as $r
    | if .load.errors > 0 then missed("\(.load.errors | commas) errors")
      elif $r >= 0.6 and .load.p99_ms < 2 then "met (\($r | pct) of nginx)"
      elif $r >= 0.6 then missed("p99 \(.load.p99_ms | ms)")
      elif .load.p99_ms < 2 then missed("\($r | pct) of nginx; p99 met")
      else missed("\($r | pct) of nginx, p99 \(.load.p99_ms | ms)")
      end
    end;
def reference: "—";

# --- tables -------------------------------------------------------------
def load_row($title; $db; $id; $target; verdict):
  $rows[$id] as $r
  | if $r == null then
      "| \($title) | \($db) | — | — | — | — | — | \($target) | not measured in this run |"
    else
      "| \($title) | \($db) | \($r.load.requests_per_s | commas) | \($r.load.p50_ms | ms) "
      + "| \($r.load.p99_ms | ms) | \($r.load.errors | commas) | \($r.server_peak_rss_kb | mib) "
      + "| \($target) | \($r | verdict) |"
    end;

# The scale rows of one backend: verify and refresh at the base and the
# large session count, the counts as the run recorded them.
def scale_rows($db; $backend):
  def sessions($id): $rows[$id].sessions // null | if . == null then "?" else "~\(commas)" end;
  ["verify", "refresh"][] as $what
  | "scale-\($what)-base-\($backend)" as $base
  | "scale-\($what)-large-\($backend)" as $large
  | load_row("scale: \($what), \(sessions($base)) sessions"; $db; $base; "no errors (base of the next row)"; no_errors),
    load_row("scale: \($what), \(sessions($large)) sessions"; $db; $large; "within 20% of base"; within_20_percent_of($base));

def start_row($title; $id; verdict):
  $rows[$id] as $r
  | if $r == null then "| \($title) | — | — | — | — | not measured in this run |"
    else
      "| \($title) | \($r.load.runs | length) | \($r.load.ready_ms_p50 | ms) "
      + "| \($r.load.ready_ms_max | ms) | \($r.load.idle_rss_kb_max | mib) | \($r | verdict) |"
    end;
def start_targets:
  if .load.ready_ms_max < 200 and .load.idle_rss_kb_max < 20 * 1024 then "met"
  else missed([if .load.ready_ms_max >= 200 then "slowest start \(.load.ready_ms_max | ms)" else empty end,
               if .load.idle_rss_kb_max >= 20 * 1024 then "idle RSS \(.load.idle_rss_kb_max | mib)" else empty end]
              | join(", "))
  end;

def micro_table:
  if $micro == null then ["Not measured in this run."]
  else
    (if $micro.context.library_build_type == "debug"
     then ["Debian builds its Google Benchmark library in debug mode; that slows only "
           + "the timing loop around each operation, not the gatehouse code it times.", ""]
     else [] end)
    + ["| benchmark | CPU time per operation | operations/s | iterations |",
     "|---|---|---|---|"]
    + [$micro.benchmarks[]
       | select(.run_type != "aggregate")
       | (to_ns) as $t
       | "| `\(.name)` | \($t | ns) | \(1e9 / $t | commas) | \(.iterations | commas) |"]
  end;

# What a reader would compute from the table anyway: verify against the
# ceiling, and how long seeding the scale rows took.
def table_notes:
  [ ($rows["verify-sqlite"].load.requests_per_s) as $v
    | ($rows["ceiling"].load.requests_per_s) as $c
    | if $v != null and $c != null
      then "verify on SQLite answered at \($v / $c | pct) of the nginx ceiling's "
           + "rate, under the same load."
      else empty end,
    ( [["sqlite", "SQLite"], ["postgres", "PostgreSQL"]][] as [$b, $name]
      | [$rows["scale-verify-base-\($b)"].seed_ms, $rows["scale-verify-large-\($b)"].seed_ms]
      | if .[0] != null and .[1] != null
        then "Seeding the scale rows on \($name) took \(.[0] / 1000 | seconds) for the "
             + "base batch and \(.[1] / 1000 | seconds) for the large one."
        else empty end)
  ];

def flood_details:
  $rows["login-flood-sqlite"] as $r
  | if $r == null or $r.flood == null then []
    else $r.flood as $f
    | ["During the flood row, sign-ins were offered at \($f.offered_per_s | commas)/s "
       + "(\($r.flood | .offered_per_s / $r.login_capacity_per_s | ratio) the "
       + "\($r.login_capacity_per_s | commas)/s the login row measured), open loop, "
       + "starting 2 s before the probe and ending 2 s after it (\($f.duration_s | seconds) "
       + "from the first sign-in sent to the last answer). The server answered "
       + ([$f.statuses | to_entries[] | "\(.value | commas) × \(.key)"] | join(", "))
       + (if ($f.transport_errors | length) > 0
          then ", and \([$f.transport_errors | to_entries[] | .value] | add | commas) got no answer"
          else "" end)
       + "; sign-in latency (from when each was due) p50 \($f.p50_ms | ms), p99 \($f.p99_ms | ms). "
       + "A 503 is the hashing queue (`GATEHOUSE_MAX_PENDING_LOGINS`) turning the excess "
       + "away at once, as designed."]
    end;

# --- the document -------------------------------------------------------
($env.machine) as $m
| ($env.versions) as $v
| ($env.settings) as $s
| [
  "# Benchmarks",
  "",
  "<!-- Generated by `make bench` (bench/run.sh) from bench/results/; do not edit",
  "     by hand, except the last two sections. Every number above them was measured in the",
  "     run described here. -->",
  "",
  "Run of \($env.date) on gatehouse \($v.commit): \($run.total_s | commas) s in all, "
  + "of which \($run.build_s | commas) s building.",
  "",
  "**How busy the machine was.** Load average (1, 5, 15 min) before the run: "
  + "\($m.loadavg_before); after: \($run.loadavg_after). With two CPUs, anything "
  + "well above 0 means other processes shared the cores with the benchmark, and "
  + "every figure below is noisy: compare rows of one run, not runs."
  + (if ($run.note // "") != "" then " " + $run.note else "" end),
  "",
  (if ($run.failed | length) > 0
   then "**Failed workloads:** \($run.failed | join(", ")) (logs in bench/results/logs/).\n"
   else empty end),
  "## Results",
  "",
  "Server pinned to CPU \($s.server_cpu), load to CPU \($s.load_cpu) (`taskset`), the same "
  + "for every row; loopback (127.0.0.1) only; each measured run \($s.duration_s) s. "
  + "requests/s counts every answer; errors are answers other than the expected "
  + "2xx, plus requests with no answer at all. Server peak RSS is `VmHWM` of the "
  + "server process (nginx: master + worker) at the end of the row.",
  "",
  "| workload | database | requests/s | p50 | p99 | errors | server peak RSS | target | verdict |",
  "|---|---|---|---|---|---|---|---|---|",
  load_row("HTTP ceiling: nginx `return 200`, \($s.connections) connections (wrk)"; "—"; "ceiling"; "reference"; reference),
  load_row("verify: `GET /auth/me`, \($s.connections) connections (wrk)"; "SQLite"; "verify-sqlite"; "≥ 60% of nginx, p99 < 2 ms"; near_the_ceiling),
  load_row("verify"; "PostgreSQL"; "verify-postgres"; "≥ 60% of nginx, p99 < 2 ms"; near_the_ceiling),
  load_row("check: `GET /auth/check` for `/admin` as admin, \($s.connections) connections (wrk)"; "SQLite"; "check-sqlite"; "≥ 60% of nginx, p99 < 2 ms"; near_the_ceiling),
  load_row("refresh: chained rotations, 8 sessions (gatehouse_loader)"; "SQLite"; "refresh-sqlite"; "≥ 10,000/s, no errors"; at_least(10000)),
  load_row("refresh"; "PostgreSQL"; "refresh-postgres"; "≥ 3,000/s, no errors"; at_least(3000)),
  load_row("login: 4 connections, right password (wrk)"; "SQLite"; "login-sqlite"; "no errors"; no_errors),
  load_row("`/auth/me` probe, 4 connections, idle"; "SQLite"; "login-flood-idle-sqlite"; "reference for the next row"; reference),
  load_row("`/auth/me` probe, 4 connections, during a login flood at 2× capacity"; "SQLite"; "login-flood-sqlite"; "p99 < 5 ms, no errors"; p99_under(5)),
  scale_rows("SQLite"; "sqlite"),
  scale_rows("PostgreSQL"; "postgres"),
  "",
  (table_notes | if length > 0 then (. | join(" ")), "" else empty end),
  (flood_details | if length > 0 then .[], "" else empty end),
  "### Start-up (SQLite)",
  "",
  "Time from `exec` to the first 200 from `/readyz` (polled every millisecond), "
  + "and resident memory (`VmRSS`) after 1 s idle; gatehouse_loader starts the "
  + "server itself, pinned to CPU \($s.server_cpu). Target for restarts: every start "
  + "ready in under 200 ms, idle RSS under 20 MiB.",
  "",
  "| start | runs | ready, p50 | ready, slowest | idle RSS, largest | verdict |",
  "|---|---|---|---|---|---|",
  start_row("first start: empty database (migrations, key generation)"; "start-first-sqlite"; reference),
  start_row("restart on that database"; "start-sqlite"; start_targets),
  "",
  "### Micro-benchmarks (Google Benchmark, CPU \($s.server_cpu))",
  "",
  "The pure code every request runs: JWT signing and verification through "
  + "`service/access_tokens.h` (EdDSA and HS256), auth cookies "
  + "(`core/cookie_policy.h`), the guard's verdict (`core/guard_policy.h`) and path "
  + "normalisation (`core/path_normalizer.h`). Source: `bench/micro/`.",
  "",
  micro_table[],
  "",
  "## How it was measured",
  "",
  "- **One command:** `make bench` installs what is missing "
  + "(`scripts/install-bench-deps.sh`), builds Release into `build-bench/`, runs "
  + "`bench/run.sh`, and rewrites this file from the JSON it leaves in "
  + "`bench/results/` (one file per row, plus `logs/`). `bench/run.sh verify:sqlite` "
  + "and the like rerun single workloads into `bench/results/report.md`.",
  "- **Server settings:** production mode, not `--dev`: `GATEHOUSE_MASTER_KEY` and "
  + "`GATEHOUSE_INTERNAL_SECRET` set, `GATEHOUSE_PUBLIC_URL=http://127.0.0.1:<port>`, "
  + "a trusted app origin on the same host (`GATEHOUSE_TRUSTED_ORIGINS`), Secure "
  + "cookies, the default log level (one line per request to a file), EdDSA tokens, "
  + "the `[guard]` rules of SPEC §7 (`GATEHOUSE_CONFIG`), and "
  + "`GATEHOUSE_LOGIN_ACCOUNT_LIMIT` / `GATEHOUSE_LOGIN_IP_LIMIT` raised so the "
  + "rate limiter never cuts a login row. Each row starts its own server process, "
  + "so its peak RSS is its own; each workload starts on an empty database.",
  "- **Load:** wrk with one thread (`-t1`), a Lua script that writes its summary "
  + "as JSON (`bench/wrk/json_report.lua`); `gatehouse_loader` (`bench/loader/`, "
  + "Boost.Beast) where wrk cannot do the job: refresh chains (each request "
  + "carries the refresh cookie the previous answer set, and a trusted `Origin`), "
  + "sign-ins at a fixed rate, start-up timing.",
  "- **Databases:** SQLite in WAL mode with gatehouse's default "
  + "`synchronous=FULL`, on \($m.database_fs); PostgreSQL \($v.postgres | sub("^postgres \\(PostgreSQL\\) "; "")) "
  + "in a private cluster (initdb in a scratch directory, a free loopback port, "
  + "defaults: `fsync` and `synchronous_commit` on), pinned to CPU \($s.server_cpu) "
  + "with gatehouse.",
  "- **Scale:** `bench/seed_sessions.sh` adds live filler sessions (UUID ids, a "
  + "refresh-token hash each, one filler user per 1,000) in one SQL transaction; "
  + "the base rows run with the first batch, the large rows after the second.",
  "- **Ceiling:** Debian's nginx with its own prefix, `worker_processes 1`, "
  + "`access_log off`, `return 200`, pinned like gatehouse and loaded exactly like "
  + "the verify row. It is an upper bound for this core and this load generator, "
  + "not a target: wrk on one core may itself be the limit of that row.",
  "",
  "### Machine and versions",
  "",
  "| | |",
  "|---|---|",
  "| CPU | \($m.cpu), \($m.cores) cores |",
  "| memory | \($m.memory_kb | tonumber / 1048576 | round) GiB |",
  "| OS, kernel | \($m.os), \($m.kernel) |",
  "| gatehouse | \($v.gatehouse), commit \($v.commit), \($v.build_type) build |",
  "| compiler | \($v.compiler) |",
  "| libraries | Boost \($v.boost), libsodium \($v.libsodium), SQLite \($v.sqlite) |",
  "| PostgreSQL | \($v.postgres) |",
  "| nginx | \($v.nginx) |",
  "| wrk | \($v.wrk) |",
  "| Google Benchmark | \($v.google_benchmark) |",
  "| pinning | server CPU \($s.server_cpu), load CPU \($s.load_cpu) |",
  ""
  ]
| .[]
