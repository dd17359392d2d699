# RubyGems reference (Debian's ruby): same protocol as main.swift. A requirement list is split
# at commas as bundler-audit splits RubySec's lists; an empty list is an error here as in Vigil.
out = []
STDIN.each_line do |line|
  line = line.chomp
  next if line.empty?
  f = line.split("\t", -1)
  case f[0]
  when "cmp"
    begin
      out << (Gem::Version.new(f[2]) <=> Gem::Version.new(f[3])).to_s
    rescue ArgumentError
      out << "X"
    end
  when "valid"
    out << (Gem::Version.correct?(f[2]) ? "1" : "0")
  when "range"
    begin
      parts = f[2].split(",", -1)
      raise Gem::Requirement::BadRequirementError, "empty" if parts.empty?
      r = Gem::Requirement.new(*parts)
    rescue Gem::Requirement::BadRequirementError, ArgumentError
      out << "E"
      next
    end
    out << (Gem::Version.correct?(f[3]) && r.satisfied_by?(Gem::Version.new(f[3])) ? "1" : "0")
  end
end
puts out
