-- wrk script: POSTs Stripe events signed beforehand (wrk's LuaJIT has no HMAC), each event once.
-- Usage: wrk -t<n> -s stripe-webhooks.lua <url> -- <signed-events-file> <n>
-- Each line of the file is "<Stripe-Signature>\t<body>"; thread k of n sends lines k, k+n, k+2n, ...

local next_index = 0

function setup(thread)
  thread:set("index", next_index)
  next_index = next_index + 1
end

function init(args)
  local thread_count = tonumber(args[2])
  requests = {}
  sent = 0
  local line_number = 0
  for line in io.lines(args[1]) do
    if line_number % thread_count == index then
      local signature, body = line:match("^([^\t]+)\t(.*)$")
      requests[#requests + 1] = wrk.format("POST", nil,
        { ["Content-Type"] = "application/json", ["Stripe-Signature"] = signature }, body)
    end
    line_number = line_number + 1
  end
end

function request()
  sent = sent + 1
  if sent > #requests then
    -- out of fresh events: stop rather than send replays, which would measure something else
    wrk.thread:stop()
    return requests[#requests]
  end
  return requests[sent]
end
