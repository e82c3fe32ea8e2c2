@echo off
rem Runs the database migrations of the acme_api release without Mix.
call "%~dp0\acme_api" eval AcmeAPI.Release.migrate
