# Load generator for the server benchmark: prints base64-like text at a steady rate, then exits.
#
#   perl bench/emit.pl <bytes-per-second> <seconds>
#
# The same output and pacing as bench/emit.mjs (10,000-byte chunks of 99-character lines, one every
# 10,000 / rate seconds against the wall clock), but starts in a few milliseconds, so that starting
# 20 of them does not itself load the machine. Writes block when the reader is slow.
use strict;
use warnings;
use Time::HiRes qw(time sleep);

my ($rate, $seconds) = @ARGV;
die "usage: perl bench/emit.pl <bytes-per-second (>= 10000)> <seconds>\n"
  unless defined $seconds && $rate >= 10_000 && $seconds > 0;

my $chunk_bytes = 10_000;
my @alphabet = ('A' .. 'Z', 'a' .. 'z', '0' .. '9', '+', '/');
my $chunk = join '', map { join('', map { $alphabet[int rand 64] } 1 .. 99) . "\n" } 1 .. $chunk_bytes / 100;

my $total = int($rate * $seconds / $chunk_bytes + 0.5);
my $interval = $chunk_bytes / $rate;
my $start = time;
my $written = 0;
while ($written < $total) {
  my $due = int((time - $start) / $interval) + 1;
  $due = $total if $due > $total;
  while ($written < $due) {
    my $offset = 0;
    while ($offset < $chunk_bytes) {
      my $n = syswrite STDOUT, $chunk, $chunk_bytes - $offset, $offset;
      exit 1 unless defined $n;
      $offset += $n;
    }
    $written++;
  }
  last if $written >= $total;
  my $wait = $start + $written * $interval - time;
  sleep $wait if $wait > 0;
}
