local M = {}

function M.square(n)
  if type(n) ~= "number" then
    require("pcmig").raise("argument", "square: number expected, got %s", type(n))
  end
  return n * n
end

return M
