<?php
// Composer reference (Debian's php-composer-semver): same protocol as main.swift.
require '/usr/share/php/Composer/Semver/autoload.php';
use Composer\Semver\VersionParser;
use Composer\Semver\Comparator;
use Composer\Semver\Constraint\Constraint;
$p = new VersionParser();
$out = [];
while (($line = fgets(STDIN)) !== false) {
    $line = rtrim($line, "\n");
    if ($line === '') continue;
    $f = explode("\t", $line);
    if ($f[0] === 'cmp') {
        try { $a = $p->normalize($f[2]); $b = $p->normalize($f[3]); }
        catch (\Exception $e) { $out[] = 'X'; continue; }
        // Comparator compares normalised strings; for two different dev- branches it answers
        // false to <, == and > alike (unordered): reported as U.
        if (Comparator::lessThan($a, $b)) $out[] = '-1';
        elseif (Comparator::equalTo($a, $b)) $out[] = '0';
        elseif (Comparator::greaterThan($a, $b)) $out[] = '1';
        else $out[] = 'U';
    } elseif ($f[0] === 'valid') {
        try { $p->normalize($f[2]); $out[] = '1'; } catch (\Exception $e) { $out[] = '0'; }
    } elseif ($f[0] === 'range') {
        try { $c = $p->parseConstraints($f[2]); } catch (\Exception $e) { $out[] = 'E'; continue; }
        try { $v = $p->normalize($f[3]); } catch (\Exception $e) { $out[] = '0'; continue; }
        $out[] = $c->matches(new Constraint('==', $v)) ? '1' : '0';
    }
}
echo implode("\n", $out), "\n";
