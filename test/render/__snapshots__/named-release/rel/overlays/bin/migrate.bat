@echo off
rem Runs the database migrations of the storefront release without Mix.
call "%~dp0\storefront" eval Acme.Shop.Release.migrate
