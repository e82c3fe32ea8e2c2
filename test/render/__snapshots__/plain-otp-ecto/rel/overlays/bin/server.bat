@echo off
rem Starts the acme_api release.
call "%~dp0\acme_api" start
