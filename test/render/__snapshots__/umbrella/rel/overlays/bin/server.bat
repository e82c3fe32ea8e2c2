@echo off
rem Starts the hub release with the Phoenix endpoint serving HTTP.
set PHX_SERVER=true
call "%~dp0\hub" start
