<#
.SYNOPSIS
  Installs the gitfleet agent in Windows Task Scheduler.
.DESCRIPTION
  Runs `gitfleet agent install --scheduler taskscheduler`, which writes the task
  definition (XML) to the gitfleet data folder and registers it with schtasks. The agent
  reads everything from a config file; the token belongs in a token file (tokenFile) or
  in git's credential manager, never in the task.
.EXAMPLE
  .\scripts\install-agent.ps1 -Repo https://github.com/acme/fleet.git -Server win-build-01 -Every 1m
.EXAMPLE
  .\scripts\install-agent.ps1 -Uninstall
#>
param(
  [string]$Repo,
  [string]$Server,
  [string]$Every = "1m",
  [string]$Config,
  [switch]$Uninstall
)
$ErrorActionPreference = "Stop"
$node = (Get-Command node -ErrorAction SilentlyContinue).Source
if (-not $node) { throw "Node.js 20.19 or newer is needed: https://nodejs.org" }
$cli = Join-Path $PSScriptRoot "..\dist\gitfleet.js"
if (-not (Test-Path $cli)) { throw "dist\gitfleet.js is missing: run 'npm ci' and 'npm run build' in the gitfleet folder first" }
$arguments = @($cli, "agent")
if ($Uninstall) {
  $arguments += "uninstall"
} else {
  $arguments += @("install", "--scheduler", "taskscheduler", "--every", $Every)
}
if ($Config) { $arguments += @("--config", $Config) }
if ($Repo) { $arguments += @("--repo", $Repo) }
if ($Server) { $arguments += @("--server", $Server) }
& $node @arguments
exit $LASTEXITCODE
