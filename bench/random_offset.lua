-- wrk script: every request gets a random offset in [0, MAX], appended to the URL's query
-- ("...?limit=50" becomes "...?limit=50&offset=N"). Usage: wrk ... URL -- MAX
local max_offset = 0

function init(args)
  max_offset = tonumber(args[1]) or 0
  math.randomseed(os.time())
end

function request()
  return wrk.format(nil, wrk.path .. "&offset=" .. math.random(0, max_offset))
end
