@echo off
rem Starts the storefront release with the Phoenix endpoint serving HTTP.
set PHX_SERVER=true
call "%~dp0\storefront" start
