-- An estate for a real migration: the 2015 pool's back end on sql15\rtc,
-- the 2019 pool's on sql19\rtc, Windows integrated authentication for the
-- source and a SQL login (password from the environment) for the target.
-- pcmig writes the topology switch and the user moves into runbook.ps1.
return {
  name = "Contoso production",
  kind = "real",
  site = "Redmond",
  topology = "topology.xml",          -- Get-CsTopology -AsXml > topology.xml
  directory = "users.csv",            -- Get-CsUser | Select-Object SipAddress,UserPrincipalName,RegistrarPool,Enabled | Export-Csv users.csv -Encoding UTF8
  archive = "archive/pchat-2015.zip",
  runbook = "runbook.ps1",

  source = {
    pool = "pchat15.contoso.com",
    registrar = "fe15.contoso.com",
    db = { instance = "sql15.contoso.com\\rtc", database = "mgc" },
  },
  target = {
    pool = "pchat19.contoso.com",
    registrar = "fe19.contoso.com",
    db = { instance = "sql19.contoso.com\\rtc", database = "mgc",
           user = "pcmig", password_env = "PCMIG_TARGET_PASSWORD" },
  },

  export = { level = "All", since = "2018-01-01" },
  on_conflict = "merge",
  creators = { ["*"] = { "sip:pcadmin@contoso.com" } },
  move_batch = 25,
}
