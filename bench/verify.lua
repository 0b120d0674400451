-- bench/verify.lua: wrk drives `POST /api/v1/users/{id}/verify` with fresh TOTP codes.
--
-- `loadgen pairs` wrote DIR/slice-K.txt: lines `step user_id code`, grouped by step, each
-- user in one slice only. Every wrk thread takes its own slice (setup numbers the threads;
-- a second wrk for another instance starts at another slice base), so no two connections
-- ever send one user's codes and no code is sent twice. A thread sends the codes of the
-- current 30-second step, then of the next one, never of a step already passed (they could
-- age out in flight); when a thread has no fresh pair left it sends a request for an
-- unknown user (404) and counts it as starved: add users.
--
-- Usage: wrk -t T -c C -d Ds --latency -s bench/verify.lua URL -- PAIRS_DIR [SLICE_BASE]
-- with KEYWARD_BENCH_KEY set to an integration API key. `done` prints the status counts and
-- one `KW_RESULT` line that bench/run sums over several wrk processes.

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("index", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

local by_step = {}   -- step -> { users = {...}, codes = {...} }
local step = nil     -- the step being sent
local pos = 1        -- the next pair of that step
local headers = {}
statuses = {}
starved = 0

function init(args)
   local dir = args[1] or "bench-pairs"
   local base = tonumber(args[2] or "0")
   local slice = base + index
   local key = os.getenv("KEYWARD_BENCH_KEY")
   if key == nil or key == "" then
      error("KEYWARD_BENCH_KEY is not set")
   end
   headers["Authorization"] = "Bearer " .. key
   headers["Content-Type"] = "application/json"
   local path = dir .. "/slice-" .. slice .. ".txt"
   local f = io.open(path, "r")
   if f == nil then
      error("no pairs at " .. path .. " (loadgen pairs --slices must cover every wrk thread)")
   end
   for line in f:lines() do
      local s, user, code = line:match("^(%d+) (%S+) (%d+)$")
      if s then
         s = tonumber(s)
         local list = by_step[s]
         if list == nil then
            list = { users = {}, codes = {} }
            by_step[s] = list
         end
         local n = #list.users + 1
         list.users[n] = user
         list.codes[n] = code
      end
   end
   f:close()
end

local function starve()
   starved = starved + 1
   return wrk.format("POST", "/api/v1/users/usr_bench_starved/verify", headers, '{"code":"000000"}')
end

function request()
   local now = math.floor(os.time() / 30)
   if step == nil or step < now then
      step = now
      pos = 1
   end
   local list = by_step[step]
   while list == nil or pos > #list.users do
      -- The next step's codes are fresh too, but never one further ahead.
      if step >= now + 1 or by_step[step + 1] == nil then
         return starve()
      end
      step = step + 1
      pos = 1
      list = by_step[step]
   end
   local user, code = list.users[pos], list.codes[pos]
   pos = pos + 1
   return wrk.format("POST", "/api/v1/users/" .. user .. "/verify", headers,
      '{"code":"' .. code .. '"}')
end

function response(status, _headers, _body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local counts = {}
   local starved_total = 0
   for _, t in ipairs(threads) do
      for status, n in pairs(t:get("statuses")) do
         counts[status] = (counts[status] or 0) + n
      end
      starved_total = starved_total + t:get("starved")
   end
   local non200 = 0
   local keys = {}
   for status, n in pairs(counts) do
      table.insert(keys, status)
      if status ~= 200 then
         non200 = non200 + n
      end
   end
   table.sort(keys)
   local shown = {}
   for _, status in ipairs(keys) do
      table.insert(shown, status .. ": " .. counts[status])
   end
   local e = summary.errors
   local socket_errors = e.connect + e.read + e.write + e.timeout
   local seconds = summary.duration / 1e6
   io.write(string.format("statuses: {%s}\n", table.concat(shown, ", ")))
   io.write(string.format("verifications/s: %.0f (all answers), non-200: %d, starved: %d, socket errors: %d\n",
      summary.requests / seconds, non200, starved_total, socket_errors))
   io.write(string.format("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n",
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000))
   if non200 > 0 or socket_errors > 0 then
      io.write("DEFECT: answers other than 200 (starved requests are 404s: add users)\n")
   end
   io.write(string.format(
      "KW_RESULT requests=%d seconds=%.3f p50_us=%d p90_us=%d p99_us=%d max_us=%d non200=%d starved=%d socket_errors=%d\n",
      summary.requests, seconds, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, non200, starved_total, socket_errors))
end
