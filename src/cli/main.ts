#!/usr/bin/env node
console.log("gitfleet");
