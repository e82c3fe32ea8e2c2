@echo off
rem Starts the my_app release with the Phoenix endpoint serving HTTP.
set PHX_SERVER=true
call "%~dp0\my_app" start
