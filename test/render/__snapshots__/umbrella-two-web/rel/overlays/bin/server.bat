@echo off
rem Starts the acme release with the Phoenix endpoint serving HTTP.
set PHX_SERVER=true
call "%~dp0\acme" start
